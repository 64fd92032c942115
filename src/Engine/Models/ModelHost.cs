using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rag.Engine.Configuration;
using Rag.Engine.Models.BuiltIn;
using Rag.Engine.Diagnostics;

namespace Rag.Engine.Models;

/// <summary>
/// The models this process hosts, in their three roles, each loaded once (one ONNX Runtime session
/// per model, shared by every request) when the host starts, so a broken folder stops start-up with
/// a clear message instead of failing the first request:
/// the <see cref="Embedder"/> (search and sentence relevance), the <see cref="Scorer"/> (compression's
/// token signals) and the <see cref="Decoder"/> (generated answers). One decoder may be both scorer and generator.
/// </summary>
public sealed partial class ModelHost : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    /// <summary>Loads the configured models (a broken folder throws <see cref="ModelLoadException"/>, stopping start-up).</summary>
    public ModelHost(IOptions<RagOptions> options, OnnxSessions sessions, ILogger<ModelHost> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var rag = options.Value;
        var models = rag.Models;
        try
        {
            if (EmbedderFolder(rag) is { } embedderFolder)
            {
                Embedder = Own(OnnxEmbedder.Load(embedderFolder, sessions, models.Embedder));
                LogLoaded(logger, "encoder", Embedder.ModelId, sessions.Device);
            }

            if (!string.IsNullOrWhiteSpace(models.Decoder.Path))
            {
                Decoder = Own(OnnxDecoder.Load(Path.GetFullPath(models.Decoder.Path), sessions, models.Decoder));
                LogLoaded(logger, "generator", Decoder.ModelId, sessions.Device);
            }

            Scorer = LoadScorer(models, sessions);
            if (Scorer is not null && Scorer != Decoder)
                LogLoaded(logger, "scorer", Scorer.ModelId, sessions.Device);
        }
        catch
        {
            Dispose();
            throw;
        }

        LogRoles(logger, Describe(Embedder), Describe(Scorer), Decoder is null ? "none (answers are extractive)" : Decoder.ModelId);
    }

    /// <summary>The sentence encoder, or null: then search is lexical only.</summary>
    public OnnxEmbedder? Embedder { get; }

    /// <summary>The language model that writes answers, or null: then answers are extractive.</summary>
    public OnnxDecoder? Decoder { get; }

    /// <summary>The decoder compression scores tokens with (may be <see cref="Decoder"/>), or null: then only the model-free methods run.</summary>
    public OnnxDecoder? Scorer { get; }

    /// <summary>The fixture decoder shipped beside the service (Rag.Engine copies models/tiny-decoder to builtin/tiny-decoder in its output).</summary>
    public static string FixtureScorerFolder => Path.Combine(AppContext.BaseDirectory, "builtin", ScorerOptions.Fixture);

    /// <summary>Which model plays which role, for the start log and <c>/healthz</c>.</summary>
    public IReadOnlyDictionary<string, string> Roles => new Dictionary<string, string>
    {
        ["encoder"] = Embedder?.ModelId ?? "none",
        ["scorer"] = Scorer?.ModelId ?? "none",
        ["generator"] = Decoder?.ModelId ?? "none",
    };

    /// <summary>
    /// The embedder's model folder: <c>Rag:Models:Embedder:Path</c>, else the built-in encoder
    /// <c>Rag:Models:Embedder:Name</c> names (arctic-embed-xs when unset), written under the built-in
    /// folder on first use; null for <c>none</c>.
    /// </summary>
    internal static string? EmbedderFolder(RagOptions rag)
    {
        var embedder = rag.Models.Embedder;
        if (!string.IsNullOrWhiteSpace(embedder.Path))
            return Path.GetFullPath(embedder.Path);
        var name = string.IsNullOrWhiteSpace(embedder.Name) ? BuiltInEncoders.Default : embedder.Name.Trim();
        if (string.Equals(name, BuiltInEncoders.None, StringComparison.OrdinalIgnoreCase))
            return null;
        var encoder = BuiltInEncoders.Find(name)
            ?? throw new ModelLoadException($"Rag:Models:Embedder:Name '{name}' is not a built-in encoder; use one of: {string.Join(", ", BuiltInEncoders.Names)}.");
        return BuiltInModelFolders.Ensure(encoder, BuiltInPath(rag));
    }

    /// <summary>Where built-in models are written: <c>Rag:Models:BuiltInPath</c>, else <c>models</c> under the data folder.</summary>
    internal static string BuiltInPath(RagOptions rag) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(rag.Models.BuiltInPath) ? Path.Combine(rag.DataPath, "models") : rag.Models.BuiltInPath);

    private OnnxDecoder? LoadScorer(ModelOptions models, OnnxSessions sessions)
    {
        var scorer = models.Scorer;
        var options = new DecoderOptions { MaxBatchTokens = scorer.MaxBatchTokens, PrefillChunkTokens = models.Decoder.PrefillChunkTokens };
        if (!string.IsNullOrWhiteSpace(scorer.Path))
            return Own(OnnxDecoder.Load(Path.GetFullPath(scorer.Path), sessions, options));
        if (string.Equals(scorer.Name?.Trim(), ScorerOptions.None, StringComparison.OrdinalIgnoreCase))
            return null;
        if (string.IsNullOrWhiteSpace(scorer.Name) && Decoder is not null)
            return Decoder;
        return Own(OnnxDecoder.Load(FixtureScorerFolder, sessions, options));
    }

    private T Own<T>(T model)
        where T : IDisposable
    {
        _owned.Add(model);
        return model;
    }

    private static string Describe(OnnxEmbedder? embedder) =>
        embedder is null ? "none (search is lexical)" : $"{embedder.ModelId} ({embedder.Pooling.ToString().ToLowerInvariant()} pooling, {embedder.MaxTokens} tokens)";

    private string Describe(OnnxDecoder? scorer) =>
        scorer is null ? "none (segment, longcodezip and gemfilter are off)" : scorer == Decoder ? $"{scorer.ModelId} (the generator)" : scorer.ModelId;

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var model in _owned)
            model.Dispose();
        _owned.Clear();
    }

    [LoggerMessage(EventId = LogEvents.ModelLoaded, Level = LogLevel.Information, Message = "Loaded the {Role} {ModelId} on {Device}")]
    private static partial void LogLoaded(ILogger logger, string role, string modelId, string device);

    [LoggerMessage(EventId = LogEvents.ModelRoles, Level = LogLevel.Information, Message = "Models: encoder {Encoder}; scorer {Scorer}; generator {Generator}")]
    private static partial void LogRoles(ILogger logger, string encoder, string scorer, string generator);
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rag.Engine.Configuration;

namespace Rag.Engine.Models;

/// <summary>
/// The models this process hosts, each loaded once (one ONNX Runtime session per model, shared by
/// every request) when the host starts, so a broken folder stops start-up with a clear message
/// instead of failing the first request.
/// </summary>
public sealed partial class ModelHost : IDisposable
{
    public ModelHost(IOptions<RagOptions> options, OnnxSessions sessions, ILogger<ModelHost> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var models = options.Value.Models;
        if (!string.IsNullOrWhiteSpace(models.Embedder.Path))
        {
            Embedder = OnnxEmbedder.Load(Path.GetFullPath(models.Embedder.Path), sessions, models.Embedder);
            LogLoaded(logger, "embedder", Embedder.ModelId, sessions.Device);
        }

        if (!string.IsNullOrWhiteSpace(models.Decoder.Path))
        {
            try
            {
                Decoder = OnnxDecoder.Load(Path.GetFullPath(models.Decoder.Path), sessions, models.Decoder);
            }
            catch
            {
                Embedder?.Dispose();
                throw;
            }

            LogLoaded(logger, "decoder", Decoder.ModelId, sessions.Device);
        }
    }

    /// <summary>The sentence encoder, or null: then search is lexical only.</summary>
    public OnnxEmbedder? Embedder { get; }

    /// <summary>The language model, or null: then answers are extractive.</summary>
    public OnnxDecoder? Decoder { get; }

    public void Dispose()
    {
        Embedder?.Dispose();
        Decoder?.Dispose();
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Loaded the {Role} {ModelId} on {Device}")]
    private static partial void LogLoaded(ILogger logger, string role, string modelId, string device);
}

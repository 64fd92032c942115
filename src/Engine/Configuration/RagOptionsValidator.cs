using Microsoft.Extensions.Options;
using Rag.Contracts;
using Rag.Engine.Models;
using Rag.Engine.Models.BuiltIn;

namespace Rag.Engine.Configuration;

/// <summary>Checks <see cref="RagOptions"/> at start, naming the configuration key at fault.</summary>
internal sealed class RagOptionsValidator : IValidateOptions<RagOptions>
{
    private static void Range<T>(List<string> failures, string key, T value, T min, T max)
        where T : System.Numerics.INumber<T> => OptionRules.Range(failures, key, value, min, max);

    public ValidateOptionsResult Validate(string? name, RagOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataPath))
            failures.Add("Rag:DataPath must name a folder.");

        var search = options.Search;
        if (search.DenseWeight is { } weight && (weight is < 0 or > 1 || double.IsNaN(weight)))
            failures.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Rag:Search:DenseWeight must be between 0 and 1; it is {weight}."));
        if (search.LexicalGapWeight is { } gap && (gap is < 0 or > 10 || double.IsNaN(gap)))
            failures.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Rag:Search:LexicalGapWeight must be between 0 and 10; it is {gap}."));
        if (search.UnitShare is { } share && (share is < 0 or > 1 || double.IsNaN(share)))
            failures.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Rag:Search:UnitShare must be between 0 and 1; it is {share}."));
        Range(failures, "Rag:Search:HybridCandidates", search.HybridCandidates, 1, 1000);
        Range(failures, "Rag:Search:QueryVectors", search.QueryVectors, 0, 1_000_000);

        failures.AddRange(options.Chunking.Check("Rag:Chunking:"));

        var ingestion = options.Ingestion;
        Range(failures, "Rag:Ingestion:MaxUploadBytes", ingestion.MaxUploadBytes, 1, 2L * 1024 * 1024 * 1024);
        Range(failures, "Rag:Ingestion:Workers", ingestion.Workers, 1, 256);
        Range(failures, "Rag:Ingestion:MaxBatchDocuments", ingestion.MaxBatchDocuments, 1, 1_000_000);
        Range(failures, "Rag:Ingestion:BatchGroupSize", ingestion.BatchGroupSize, 1, 10_000);
        Range(failures, "Rag:Ingestion:MaxAttempts", ingestion.MaxAttempts, 1, 20);
        if (ingestion.SmallDocumentBytes < 0)
            failures.Add($"Rag:Ingestion:SmallDocumentBytes must be 0 or more; it is {ingestion.SmallDocumentBytes}.");
        if (ingestion.InteractiveDocumentBytes < 0)
            failures.Add($"Rag:Ingestion:InteractiveDocumentBytes must be 0 or more; it is {ingestion.InteractiveDocumentBytes}.");
        if (ingestion.MaxDocumentTime < TimeSpan.FromSeconds(1))
            failures.Add($"Rag:Ingestion:MaxDocumentTime must be at least 1 second; it is {ingestion.MaxDocumentTime}.");
        if (ingestion.StaleAfter < TimeSpan.FromSeconds(1))
            failures.Add($"Rag:Ingestion:StaleAfter must be at least 1 second; it is {ingestion.StaleAfter}.");

        var models = options.Models;
        if (models.DeviceId < 0)
            failures.Add($"Rag:Models:DeviceId must be 0 or more; it is {models.DeviceId}.");
        Range(failures, "Rag:Models:Decoder:MaxBatchTokens", models.Decoder.MaxBatchTokens, 16, 1 << 20);
        Range(failures, "Rag:Models:Decoder:PrefillChunkTokens", models.Decoder.PrefillChunkTokens, 1, 1 << 16);
        Range(failures, "Rag:Models:Threads", models.Threads, 0, 1024);
        Range(failures, "Rag:Models:Scorer:MaxBatchTokens", models.Scorer.MaxBatchTokens, 16, 1 << 20);
        var embedderName = models.Embedder.Name?.Trim();
        if (!string.IsNullOrEmpty(embedderName) && !BuiltInEncoders.Names.Contains(embedderName, StringComparer.OrdinalIgnoreCase))
            failures.Add($"Rag:Models:Embedder:Name must be one of {string.Join(", ", BuiltInEncoders.Names)}; it is '{embedderName}'. Use Rag:Models:Embedder:Path for a model folder.");
        var scorerName = models.Scorer.Name?.Trim();
        if (!string.IsNullOrEmpty(scorerName) && scorerName is not (ScorerOptions.Fixture or ScorerOptions.None))
            failures.Add($"Rag:Models:Scorer:Name must be {ScorerOptions.Fixture} or {ScorerOptions.None}; it is '{scorerName}'. Use Rag:Models:Scorer:Path for a model folder.");
        Range(failures, "Rag:Models:Embedder:BatchSize", models.Embedder.BatchSize, 1, 4096);
        Range(failures, "Rag:Models:Embedder:QueryBatchSize", models.Embedder.QueryBatchSize, 1, 4096);
        Range(failures, "Rag:Models:Embedder:MaxBatchTokens", models.Embedder.MaxBatchTokens, 16, 1 << 20);

        var compression = options.Compression;
        Range(failures, "Rag:Compression:SegmentTokens", compression.SegmentTokens, 8, 4096);
        Range(failures, "Rag:Compression:LongCodeZipBeta", compression.LongCodeZipBeta, 0, 1);
        if (compression.LongCodeZipFineRatio is <= 0 or > 1)
            failures.Add($"Rag:Compression:LongCodeZipFineRatio must be above 0 and at most 1; it is {compression.LongCodeZipFineRatio}.");
        if (compression.GemFilterSmoothing is < 1 or > 101 || compression.GemFilterSmoothing % 2 == 0)
            failures.Add($"Rag:Compression:GemFilterSmoothing must be an odd number from 1 to 101; it is {compression.GemFilterSmoothing}.");

        if (options.ShutdownTimeout < TimeSpan.Zero || options.ShutdownTimeout > TimeSpan.FromHours(1))
            failures.Add($"Rag:ShutdownTimeout must be between 0 and 1 hour; it is {options.ShutdownTimeout}.");

        var limits = options.Limits;
        Range(failures, "Rag:Limits:MaxRequestBytes", limits.MaxRequestBytes, 1024, 2L * 1024 * 1024 * 1024);
        Range(failures, "Rag:Limits:MaxContextCharacters", limits.MaxContextCharacters, 1, 1 << 30);
        Range(failures, "Rag:Limits:MaxOutputTokens", limits.MaxOutputTokens, 1, 1 << 20);
        foreach (var (key, limit) in new[] { ("Generation", limits.Generation), ("Compression", limits.Compression) })
        {
            Range(failures, $"Rag:Limits:{key}:MaxConcurrent", limit.MaxConcurrent, 1, 1024);
            Range(failures, $"Rag:Limits:{key}:MaxQueued", limit.MaxQueued, 0, 1 << 20);
        }

        var generation = options.Generation;
        foreach (var placeholder in new[] { "{sources}", "{question}" })
        {
            if (generation.PromptTemplate is null || !generation.PromptTemplate.Contains(placeholder, StringComparison.Ordinal))
                failures.Add($"Rag:Generation:PromptTemplate must contain {placeholder}.");
        }

        Range(failures, "Rag:Generation:MaxTokens", generation.MaxTokens, 1, limits.MaxOutputTokens);
        Range(failures, "Rag:Generation:Temperature", generation.Temperature, 0, 2);
        if (generation.TopP is <= 0 or > 1)
            failures.Add($"Rag:Generation:TopP must be above 0 and at most 1; it is {generation.TopP}.");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

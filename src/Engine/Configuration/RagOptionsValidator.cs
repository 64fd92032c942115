using Microsoft.Extensions.Options;

namespace Rag.Engine.Configuration;

/// <summary>Checks <see cref="RagOptions"/> at start, naming the configuration key at fault.</summary>
internal sealed class RagOptionsValidator : IValidateOptions<RagOptions>
{
    public ValidateOptionsResult Validate(string? name, RagOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataPath))
            failures.Add("Rag:DataPath must name a folder.");

        var chunking = options.Chunking;
        if (chunking.MaxTokens is < 16 or > 8192)
            failures.Add($"Rag:Chunking:MaxTokens must be between 16 and 8192; it is {chunking.MaxTokens}.");
        if (chunking.OverlapTokens < 0 || chunking.OverlapTokens > chunking.MaxTokens / 2)
            failures.Add($"Rag:Chunking:OverlapTokens must be between 0 and half of Rag:Chunking:MaxTokens ({chunking.MaxTokens / 2}); it is {chunking.OverlapTokens}.");

        var ingestion = options.Ingestion;
        if (ingestion.MaxUploadBytes is < 1 or > 2L * 1024 * 1024 * 1024)
            failures.Add($"Rag:Ingestion:MaxUploadBytes must be between 1 and 2147483648; it is {ingestion.MaxUploadBytes}.");
        if (ingestion.Workers is < 1 or > 256)
            failures.Add($"Rag:Ingestion:Workers must be between 1 and 256; it is {ingestion.Workers}.");
        if (ingestion.MaxAttempts is < 1 or > 20)
            failures.Add($"Rag:Ingestion:MaxAttempts must be between 1 and 20; it is {ingestion.MaxAttempts}.");

        var models = options.Models;
        if (models.DeviceId < 0)
            failures.Add($"Rag:Models:DeviceId must be 0 or more; it is {models.DeviceId}.");
        if (models.Decoder.MaxBatchTokens is < 16 or > 1 << 20)
            failures.Add($"Rag:Models:Decoder:MaxBatchTokens must be between 16 and 1048576; it is {models.Decoder.MaxBatchTokens}.");
        if (models.Decoder.PrefillChunkTokens is < 1 or > 1 << 16)
            failures.Add($"Rag:Models:Decoder:PrefillChunkTokens must be between 1 and 65536; it is {models.Decoder.PrefillChunkTokens}.");
        if (models.Embedder.BatchSize is < 1 or > 4096)
            failures.Add($"Rag:Models:Embedder:BatchSize must be between 1 and 4096; it is {models.Embedder.BatchSize}.");
        if (models.Embedder.MaxBatchTokens is < 16 or > 1 << 20)
            failures.Add($"Rag:Models:Embedder:MaxBatchTokens must be between 16 and 1048576; it is {models.Embedder.MaxBatchTokens}.");

        var compression = options.Compression;
        if (compression.SegmentTokens is < 8 or > 4096)
            failures.Add($"Rag:Compression:SegmentTokens must be between 8 and 4096; it is {compression.SegmentTokens}.");
        if (compression.LongCodeZipBeta is < 0 or > 1)
            failures.Add($"Rag:Compression:LongCodeZipBeta must be between 0 and 1; it is {compression.LongCodeZipBeta}.");
        if (compression.LongCodeZipFineRatio is <= 0 or > 1)
            failures.Add($"Rag:Compression:LongCodeZipFineRatio must be above 0 and at most 1; it is {compression.LongCodeZipFineRatio}.");
        if (compression.GemFilterSmoothing is < 1 or > 101 || compression.GemFilterSmoothing % 2 == 0)
            failures.Add($"Rag:Compression:GemFilterSmoothing must be an odd number from 1 to 101; it is {compression.GemFilterSmoothing}.");

        var generation = options.Generation;
        foreach (var placeholder in new[] { "{sources}", "{question}" })
        {
            if (generation.PromptTemplate is null || !generation.PromptTemplate.Contains(placeholder, StringComparison.Ordinal))
                failures.Add($"Rag:Generation:PromptTemplate must contain {placeholder}.");
        }

        if (generation.MaxTokens is < 1 or > 8192)
            failures.Add($"Rag:Generation:MaxTokens must be between 1 and 8192; it is {generation.MaxTokens}.");
        if (generation.Temperature is < 0 or > 2)
            failures.Add($"Rag:Generation:Temperature must be between 0 and 2; it is {generation.Temperature}.");
        if (generation.TopP is <= 0 or > 1)
            failures.Add($"Rag:Generation:TopP must be above 0 and at most 1; it is {generation.TopP}.");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

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

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

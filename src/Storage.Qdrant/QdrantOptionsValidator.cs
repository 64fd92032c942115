using Microsoft.Extensions.Options;
using Rag.Engine.Configuration;

namespace Rag.Storage.Qdrant;

/// <summary>Checks <see cref="QdrantOptions"/> at start, naming the configuration key at fault.</summary>
internal sealed class QdrantOptionsValidator : IValidateOptions<QdrantOptions>
{
    public ValidateOptionsResult Validate(string? name, QdrantOptions options)
    {
        var failures = new List<string>();
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            failures.Add($"{QdrantOptions.Section}:Url must be an absolute http(s) URL when Rag:Storage:Vectors or Rag:Storage:SegmentCache is Qdrant; it is '{options.Url}'.");
        OptionRules.Range(failures, $"{QdrantOptions.Section}:MaxAttempts", options.MaxAttempts, 1, 20);
        if (options.Timeout <= TimeSpan.Zero)
            failures.Add($"{QdrantOptions.Section}:Timeout must be above zero; it is {options.Timeout}.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

using Rag.Contracts;

namespace Rag.Api.OpenAi;

/// <summary>Checks <see cref="OpenAiOptions"/> at start, naming the key at fault.</summary>
internal sealed class OpenAiOptionsValidator : IValidateOptions<OpenAiOptions>
{
    public ValidateOptionsResult Validate(string? name, OpenAiOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.UpstreamUrl)
            && !(Uri.TryCreate(options.UpstreamUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
            failures.Add($"Rag:OpenAI:UpstreamUrl must be an absolute http(s) URL; it is '{options.UpstreamUrl}'.");
        if (!CompressionRules.IsRate(options.Compression.Rate))
            failures.Add($"Rag:OpenAI:Compression:Rate must be {CompressionRules.RateRule}; it is {options.Compression.Rate}.");
        if (options.Compression.MinTokens < 0)
            failures.Add($"Rag:OpenAI:Compression:MinTokens must be 0 or more; it is {options.Compression.MinTokens}.");
        if (options.UpstreamTimeout <= TimeSpan.Zero)
            failures.Add($"Rag:OpenAI:UpstreamTimeout must be positive; it is {options.UpstreamTimeout}.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

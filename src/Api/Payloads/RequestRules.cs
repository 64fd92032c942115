using Rag.Contracts;

namespace Rag.Api.Payloads;

/// <summary>Limits on request fields, checked before anything runs. Errors are keyed by the JSON field name.</summary>
internal static class RequestRules
{
    public const int MaxTextQueryLength = 4096;
    public const int MaxTags = 32;
    public const int MaxTagLength = 64;
    public const int MaxTitleLength = 512;

    public static void RequireText(Dictionary<string, string[]> errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            errors[field] = [$"'{field}' is required and must not be empty."];
        else if (value.Length > MaxTextQueryLength)
            errors[field] = [$"'{field}' must be at most {MaxTextQueryLength} characters."];
    }

    public static void Range(Dictionary<string, string[]> errors, string field, int? value, int min, int max)
    {
        if (value is { } v && (v < min || v > max))
            errors[field] = [$"'{field}' must be between {min} and {max}; it is {v}."];
    }

    /// <summary>
    /// The compression fields every endpoint takes (<see cref="CompressionRules"/>), named with <paramref name="prefix"/>
    /// (<c>compression.</c> inside an ask).
    /// </summary>
    public static void Compression(Dictionary<string, string[]> errors, string prefix, double? rate, int? targetToken, int? keepFirst, int? keepLast)
    {
        if (rate is { } r && !CompressionRules.IsRate(r))
            errors[prefix + "rate"] = [$"'{prefix}rate' must be {CompressionRules.RateRule}."];
        Range(errors, prefix + "target_token", targetToken, 1, CompressionRules.MaxTargetTokens);
        Range(errors, prefix + "keep_first_sentence", keepFirst, 0, CompressionRules.MaxKeptSentences);
        Range(errors, prefix + "keep_last_sentence", keepLast, 0, CompressionRules.MaxKeptSentences);
    }

    /// <summary>A token count for the generator: 1 to the configured cap, which the message names.</summary>
    public static void MaxTokens(Dictionary<string, string[]> errors, string field, int? value, int cap)
    {
        if (value is { } v && (v < 1 || v > cap))
            errors[field] = [$"'{field}' must be between 1 and {cap} (Rag:Limits:MaxOutputTokens); it is {v}."];
    }

    /// <summary>A file name as stored and shown: at most 255 characters, no control characters (NUL included) and no path.</summary>
    public static void FileName(Dictionary<string, string[]> errors, string field, string? name)
    {
        if (name is null)
            return;
        if (name.Length is 0 or > 255 || name.Any(char.IsControl) || name.IndexOfAny(['/', '\\']) >= 0 || name is "." or "..")
            errors[field] = [$"'{field}' must be a file name of 1-255 characters, without control characters or '/' and '\\'."];
    }

    public static IReadOnlyList<string> Tags(Dictionary<string, string[]> errors, IEnumerable<string?>? tags)
    {
        var list = (tags ?? []).Select(t => t?.Trim() ?? "").ToList();
        if (list.Count > MaxTags)
            errors["tags"] = [$"At most {MaxTags} tags are allowed."];
        else if (list.Any(t => t.Length is 0 or > MaxTagLength || t.Any(char.IsControl)))
            errors["tags"] = [$"Each tag must be 1-{MaxTagLength} characters with no control characters."];
        return list.Distinct(StringComparer.Ordinal).ToList();
    }

    public static void Title(Dictionary<string, string[]> errors, string? title)
    {
        if (title is { Length: > MaxTitleLength })
            errors["title"] = [$"'title' must be at most {MaxTitleLength} characters."];
        else if (title is not null && title.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r')))
            errors["title"] = ["'title' must not contain control characters."];
    }
}

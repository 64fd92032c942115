namespace Rag.Api.Contracts;

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
    }
}

namespace Rag.Retrieval.Parsing;

/// <summary>A document's format and, for source code, its language (for example <c>csharp</c>, <c>python</c>).</summary>
public sealed record DocumentKind(DocumentFormat Format, string? Language = null)
{
    /// <summary>The stored name of the kind: the format, or <c>code:language</c>.</summary>
    public override string ToString() =>
        Language is null ? Format.ToString().ToLowerInvariant() : $"code:{Language}";

    /// <summary>Parses the stored name written by <see cref="ToString"/>.</summary>
    public static DocumentKind Parse(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        if (value.StartsWith("code:", StringComparison.Ordinal))
            return new DocumentKind(DocumentFormat.Code, value["code:".Length..]);
        return new DocumentKind(Enum.Parse<DocumentFormat>(value, ignoreCase: true));
    }
}

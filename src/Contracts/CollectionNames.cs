using System.Text.RegularExpressions;

namespace Rag.Contracts;

/// <summary>Collection names: 1–64 characters, lower-case letters, digits, '-' and '_', starting with a letter or digit.</summary>
public static partial class CollectionNames
{
    /// <summary>The rule, for error messages.</summary>
    public const string Rule = "1-64 characters: lower-case letters, digits, '-' and '_', starting with a letter or digit";

    /// <summary>True when <paramref name="name"/> is a valid collection name.</summary>
    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex Pattern();
}

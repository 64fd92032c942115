using Rag.Text.Code.Languages;

namespace Rag.Text.Code;

/// <summary>
/// The registry of code languages: one line per language. Upload detection, the chunker, compression's
/// <c>content_type</c> and LongCodeZip all read it. A language is guessed from text in this order.
/// </summary>
public static class CodeLanguages
{
    /// <summary>Every language, in the order text is tried against their hints.</summary>
    public static IReadOnlyList<CodeLanguage> All { get; } =
    [
        Python.Language,
        Go.Language,
        CSharp.Language,
        Java.Language,
        JavaScript.Language,
        TypeScript.Language,
        Cpp.Language,
        C.Language,
        Kotlin.Language,
        Scala.Language,
        Rust.Language,
        Swift.Language,
        Php.Language,
    ];

    /// <summary>The language a name or alias (any case) stands for, or null.</summary>
    /// <param name="name">A name (<c>python</c>) or alias (<c>py</c>).</param>
    public static CodeLanguage? Find(string? name) => string.IsNullOrWhiteSpace(name)
        ? null
        : All.FirstOrDefault(l => string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase) || l.Aliases.Contains(name, StringComparer.OrdinalIgnoreCase));

    /// <summary>A guess at the language of <paramref name="text"/> from the languages' hints, or null when it does not look like code.</summary>
    /// <param name="text">Source text.</param>
    public static CodeLanguage? Detect(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return All.FirstOrDefault(l => l.Hint is { } hint && (l.HintMatches <= 1 ? hint.IsMatch(text) : hint.Matches(text).Count >= l.HintMatches));
    }
}

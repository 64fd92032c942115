using System.Text.RegularExpressions;
using Rag.Text.Code;

namespace Rag.Compression.Methods;

/// <summary>
/// LongCodeZip's coarse split: a chunk starts at each line that opens a function, method, class or
/// type (with the decorators or attributes and doc comments right above it) and runs to the next
/// one; text before the first is a chunk of its own. Patterns per language (<see cref="CodeLanguage.Definition"/>),
/// as the reference does for Python, extended to C#, Java, JavaScript/TypeScript, Go and C/C++.
/// </summary>
public static partial class CodeChunks
{
    /// <summary>Line indexes where chunks start (always including 0).</summary>
    public static List<int> Starts(IReadOnlyList<string> lines, string? language)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var definition = Definition(language);
        var starts = new List<int> { 0 };
        for (var i = 0; i < lines.Count; i++)
        {
            var isStart = definition is null
                ? i > 0 && lines[i].Trim().Length > 0 && lines[i - 1].Trim().Length == 0 && !char.IsWhiteSpace(lines[i], 0)
                : definition.IsMatch(lines[i]);
            if (!isStart)
                continue;
            // Decorators, attributes and comments directly above belong to the definition.
            var start = i;
            while (start > 0 && Preamble().IsMatch(lines[start - 1]))
                start--;
            if (start > starts[^1])
                starts.Add(start);
        }

        return starts;
    }

    /// <summary>The comment that marks elided code in <paramref name="language"/>.</summary>
    public static string Elision(string? language) => CodeLanguages.Find(language)?.Elision ?? "// ...";

    /// <summary>Whether a line starts a definition or a return (LongCodeZip always keeps blocks that begin so).</summary>
    public static bool StartsDefinitionOrReturn(string line, string? language) =>
        ReturnLine().IsMatch(line) || (Definition(language)?.IsMatch(line) ?? false);

    /// <summary>The name a chunk defines (function, method, class, type), from its first definition line; null if none.</summary>
    public static string? DefinedName(string chunk, string? language)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var definition = Definition(language);
        foreach (var line in chunk.Split('\n'))
        {
            if (definition is null ? Preamble().IsMatch(line) || line.Trim().Length == 0 : !definition.IsMatch(line))
                continue;
            var named = NamedDefinition().Match(line);
            if (named.Success)
                return named.Groups[1].Value;
            var call = CalledName().Match(line);
            return call.Success ? call.Groups[1].Value : null;
        }

        return null;
    }

    /// <summary>A guess at the language of <paramref name="text"/>, or null when it does not look like code.</summary>
    public static string? Detect(string text) => CodeLanguages.Detect(text)?.Name;

    private static Regex? Definition(string? language) => CodeLanguages.Find(language)?.Definition;

    [GeneratedRegex(@"^\s*(@|\[|///|#\s|//|/\*|\*)")]
    private static partial Regex Preamble();

    [GeneratedRegex(@"\b(?:class|struct|interface|record|enum|type|def|function|func)\s+(?:\(\w+\s+\*?\w+\)\s+)?(\w+)")]
    private static partial Regex NamedDefinition();

    [GeneratedRegex(@"([A-Za-z_]\w*)\s*(?:<[^>()]*>)?\s*\(")]
    private static partial Regex CalledName();

    [GeneratedRegex(@"^\s*return\b")]
    private static partial Regex ReturnLine();
}

using System.Text.RegularExpressions;

namespace Rag.Compression.Methods;

/// <summary>
/// LongCodeZip's coarse split: a chunk starts at each line that opens a function, method, class or
/// type (with the decorators or attributes and doc comments right above it) and runs to the next
/// one; text before the first is a chunk of its own. Patterns per language, as the reference does
/// for Python, extended to C#, Java, JavaScript/TypeScript, Go and C/C++.
/// </summary>
public static partial class CodeChunks
{
    /// <summary>Languages with a pattern; anything else is split at blank-line-separated blocks.</summary>
    public static readonly IReadOnlyList<string> Languages = ["python", "csharp", "java", "javascript", "typescript", "go", "c", "cpp"];

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
    public static string Elision(string? language) => language is "python" ? "# ..." : "// ...";

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
    public static string? Detect(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (PythonDef().Matches(text).Count >= 2)
            return "python";
        if (GoFunc().IsMatch(text))
            return "go";
        if (CSharpHint().IsMatch(text))
            return "csharp";
        if (JavaHint().IsMatch(text))
            return "java";
        if (JsHint().IsMatch(text))
            return "javascript";
        if (CHint().IsMatch(text))
            return "cpp";
        return null;
    }

    private static Regex? Definition(string? language) => language switch
    {
        "python" => PythonDefinition(),
        "csharp" or "java" => CurlyTypedDefinition(),
        "javascript" or "typescript" => JsDefinition(),
        "go" => GoDefinition(),
        "c" or "cpp" => CDefinition(),
        _ => null,
    };

    [GeneratedRegex(@"^\s*(async\s+def|def|class)\s+\w")]
    private static partial Regex PythonDefinition();

    [GeneratedRegex(@"^\s*((public|private|protected|internal|static|abstract|sealed|override|virtual|async|partial|final|synchronized|readonly|extern|unsafe|new)\s+)*((class|interface|struct|record|enum)\s+\w|[\w<>\[\],.?]+\s+\w+\s*(<[^>]*>)?\s*\([^;]*$)")]
    private static partial Regex CurlyTypedDefinition();

    [GeneratedRegex(@"^\s*(export\s+)?(default\s+)?((async\s+)?function\b|class\s+\w|(const|let|var)\s+\w+\s*=\s*(async\s*)?(\([^)]*\)|\w+)\s*=>|(async\s+)?\w+\s*\([^;]*\)\s*\{\s*$)")]
    private static partial Regex JsDefinition();

    [GeneratedRegex(@"^(func|type)\s")]
    private static partial Regex GoDefinition();

    [GeneratedRegex(@"^(template\s*<.*>\s*)?((class|struct|namespace)\s+\w|[A-Za-z_][\w:<>,\s\*&]*\s+[\*&]*[\w:~]+\s*\([^;]*$)")]
    private static partial Regex CDefinition();

    [GeneratedRegex(@"^\s*(@|\[|///|#\s|//|/\*|\*)")]
    private static partial Regex Preamble();

    [GeneratedRegex(@"\b(?:class|struct|interface|record|enum|type|def|function|func)\s+(?:\(\w+\s+\*?\w+\)\s+)?(\w+)")]
    private static partial Regex NamedDefinition();

    [GeneratedRegex(@"([A-Za-z_]\w*)\s*(?:<[^>()]*>)?\s*\(")]
    private static partial Regex CalledName();

    [GeneratedRegex(@"^\s*return\b")]
    private static partial Regex ReturnLine();

    [GeneratedRegex(@"(?m)^\s*def\s+\w+\(.*\):\s*$")]
    private static partial Regex PythonDef();

    [GeneratedRegex(@"(?m)^func\s+(\(\w+\s+\*?\w+\)\s+)?\w+\(")]
    private static partial Regex GoFunc();

    [GeneratedRegex(@"(?m)^\s*(using\s+System|namespace\s+[\w.]+\s*[;{]|public\s+(sealed\s+|static\s+)?class\s)")]
    private static partial Regex CSharpHint();

    [GeneratedRegex(@"(?m)^\s*(import\s+java\.|package\s+[\w.]+;)")]
    private static partial Regex JavaHint();

    [GeneratedRegex(@"(?m)^\s*(function\s+\w+\s*\(|(const|let)\s+\w+\s*=\s*(\([^)]*\)|\w+)\s*=>|export\s+(default\s+)?(function|class|const))")]
    private static partial Regex JsHint();

    [GeneratedRegex(@"(?m)^\s*#include\s*[<""]")]
    private static partial Regex CHint();
}

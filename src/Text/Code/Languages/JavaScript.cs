using System.Text.RegularExpressions;

namespace Rag.Text.Code.Languages;

internal static partial class JavaScript
{
    public static CodeLanguage Language { get; } = new(
        "javascript", ["js"], [".js", ".mjs", ".cjs", ".jsx"], ["text/javascript", "application/javascript"], CodeStructure.Braces, Definition(), Hint(), HintMatches: 1, Elision: "// ...");

    /// <summary>A function, a class, an arrow function bound to a name, or a method head; TypeScript shares it.</summary>
    [GeneratedRegex(@"^\s*(export\s+)?(default\s+)?((async\s+)?function\b|class\s+\w|(const|let|var)\s+\w+\s*=\s*(async\s*)?(\([^)]*\)|\w+)\s*=>|(async\s+)?\w+\s*\([^;]*\)\s*\{\s*$)")]
    public static partial Regex Definition();

    [GeneratedRegex(@"(?m)^\s*(function\s+\w+\s*\(|(const|let)\s+\w+\s*=\s*(\([^)]*\)|\w+)\s*=>|export\s+(default\s+)?(function|class|const))")]
    private static partial Regex Hint();
}

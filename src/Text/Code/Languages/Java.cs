using System.Text.RegularExpressions;

namespace Rag.Text.Code.Languages;

internal static partial class Java
{
    public static CodeLanguage Language { get; } = new(
        "java", [], [".java"], ["text/x-java"], CodeStructure.Braces, CurlyTyped.Definition(), Hint(), HintMatches: 1, Elision: "// ...");

    [GeneratedRegex(@"(?m)^\s*(import\s+java\.|package\s+[\w.]+;)")]
    private static partial Regex Hint();
}

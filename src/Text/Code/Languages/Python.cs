using System.Text.RegularExpressions;

namespace Rag.Text.Code.Languages;

internal static partial class Python
{
    public static CodeLanguage Language { get; } = new(
        "python", ["py"], [".py", ".pyi"], ["text/x-python"], CodeStructure.Indentation, Definition(), Hint(), HintMatches: 2, Elision: "# ...");

    [GeneratedRegex(@"^\s*(async\s+def|def|class)\s+\w")]
    private static partial Regex Definition();

    [GeneratedRegex(@"(?m)^\s*def\s+\w+\(.*\):\s*$")]
    private static partial Regex Hint();
}

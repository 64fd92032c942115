using System.Text.RegularExpressions;

namespace Rag.Text.Code.Languages;

internal static partial class Go
{
    public static CodeLanguage Language { get; } = new(
        "go", ["golang"], [".go"], ["text/x-go"], CodeStructure.Braces, Definition(), Hint(), HintMatches: 1, Elision: "// ...");

    [GeneratedRegex(@"^(func|type)\s")]
    private static partial Regex Definition();

    [GeneratedRegex(@"(?m)^func\s+(\(\w+\s+\*?\w+\)\s+)?\w+\(")]
    private static partial Regex Hint();
}

using System.Text.RegularExpressions;

namespace Rag.Text.Code.Languages;

internal static partial class CSharp
{
    public static CodeLanguage Language { get; } = new(
        "csharp", ["cs", "c#"], [".cs"], ["text/x-csharp"], CodeStructure.CSharpSyntax, CurlyTyped.Definition(), Hint(), HintMatches: 1, Elision: "// ...");

    [GeneratedRegex(@"(?m)^\s*(using\s+System|namespace\s+[\w.]+\s*[;{]|public\s+(sealed\s+|static\s+)?class\s)")]
    private static partial Regex Hint();
}

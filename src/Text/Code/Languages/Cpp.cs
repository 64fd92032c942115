using System.Text.RegularExpressions;

namespace Rag.Text.Code.Languages;

internal static partial class Cpp
{
    public static CodeLanguage Language { get; } = new(
        "cpp", ["c++", "cc"], [".cc", ".cpp", ".cxx", ".hpp", ".hh"], ["text/x-c++"], CodeStructure.Braces, Definition(), Hint(), HintMatches: 1, Elision: "// ...");

    /// <summary>A type or namespace, or a function head (return type, name, open parameter list); C shares it.</summary>
    [GeneratedRegex(@"^(template\s*<.*>\s*)?((class|struct|namespace)\s+\w|[A-Za-z_][\w:<>,\s\*&]*\s+[\*&]*[\w:~]+\s*\([^;]*$)")]
    public static partial Regex Definition();

    [GeneratedRegex(@"(?m)^\s*#include\s*[<""]")]
    private static partial Regex Hint();
}

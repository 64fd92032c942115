namespace Rag.Text.Code.Languages;

internal static class Scala
{
    /// <summary>Recognised by extension and cut by braces; no function pattern yet, so LongCodeZip splits it at blank lines.</summary>
    public static CodeLanguage Language { get; } = new(
        "scala", [], [".scala"], [], CodeStructure.Braces, null, null, HintMatches: 1, Elision: "// ...");
}

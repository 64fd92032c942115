namespace Rag.Text.Code.Languages;

internal static class Swift
{
    /// <summary>Recognised by extension and cut by braces; no function pattern yet, so LongCodeZip splits it at blank lines.</summary>
    public static CodeLanguage Language { get; } = new(
        "swift", [], [".swift"], [], CodeStructure.Braces, null, null, HintMatches: 1, Elision: "// ...");
}

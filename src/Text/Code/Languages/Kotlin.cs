namespace Rag.Text.Code.Languages;

internal static class Kotlin
{
    /// <summary>Recognised by extension and cut by braces; no function pattern yet, so LongCodeZip splits it at blank lines.</summary>
    public static CodeLanguage Language { get; } = new(
        "kotlin", ["kt"], [".kt"], [], CodeStructure.Braces, null, null, HintMatches: 1, Elision: "// ...");
}

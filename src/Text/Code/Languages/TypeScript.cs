namespace Rag.Text.Code.Languages;

internal static class TypeScript
{
    /// <summary>Never guessed from text (JavaScript's hint claims it); named by extension or content_type.</summary>
    public static CodeLanguage Language { get; } = new(
        "typescript", ["ts"], [".ts", ".tsx"], [], CodeStructure.Braces, JavaScript.Definition(), null, HintMatches: 1, Elision: "// ...");
}

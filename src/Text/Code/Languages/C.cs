namespace Rag.Text.Code.Languages;

internal static class C
{
    /// <summary>Never guessed from text (an #include is read as C++); named by extension or content_type.</summary>
    public static CodeLanguage Language { get; } = new(
        "c", [], [".c", ".h"], ["text/x-c"], CodeStructure.Braces, Cpp.Definition(), null, HintMatches: 1, Elision: "// ...");
}

namespace Rag.Text.Code.Languages;

internal static class Rust
{
    /// <summary>Recognised by extension and cut by braces; no function pattern yet, so LongCodeZip splits it at blank lines.</summary>
    public static CodeLanguage Language { get; } = new(
        "rust", ["rs"], [".rs"], [], CodeStructure.Braces, null, null, HintMatches: 1, Elision: "// ...");
}

using Rag.Retrieval.Parsing;

namespace Rag.Retrieval.Chunking;

/// <summary>Cuts extracted PDF text at page breaks; a chunk's label is its first page.</summary>
internal static class PageStructure
{
    public static List<Block> Split(string text)
    {
        var boundaries = new List<(int, Func<int, int, Block>)> { (0, (s, e) => Block.Leaf(s, e, "page 1")) };
        var page = 1;
        var at = 0;
        while ((at = text.IndexOf(PdfTextExtractor.PageSeparator, at, StringComparison.Ordinal)) >= 0)
        {
            at += PdfTextExtractor.PageSeparator.Length;
            var label = $"page {++page}";
            boundaries.Add((at, (s, e) => Block.Leaf(s, e, label)));
        }

        return Block.Cover(0, text.Length, boundaries);
    }
}

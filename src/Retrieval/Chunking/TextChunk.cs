namespace Rag.Retrieval.Chunking;

/// <summary>
/// One chunk of a document. <c>source.Substring(Start, Length) == Text</c> always holds, where
/// source is the document's parsed text.
/// </summary>
/// <param name="Index">Position of the chunk in the document, from 0.</param>
/// <param name="Start">Offset of the first character in the document's text (UTF-16 code units).</param>
/// <param name="Length">Length in UTF-16 code units.</param>
/// <param name="Text">The chunk's text.</param>
/// <param name="TokenCount">Tokens in <paramref name="Text"/> (cl100k).</param>
/// <param name="Section">Where the chunk sits: a heading path, a function name, a page.</param>
public sealed record TextChunk(int Index, int Start, int Length, string Text, int TokenCount, string? Section)
{
    /// <summary>Offset just past the last character.</summary>
    public int End => Start + Length;
}

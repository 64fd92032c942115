namespace Rag.Retrieval.Chunking;

/// <summary>
/// One chunk of a document: the span [Start, End) of the document's parsed text.
/// <c>source[Start..End] == Text</c> always holds, where source is the document's parsed text.
/// </summary>
/// <param name="Index">Position of the chunk in the document, from 0.</param>
/// <param name="Start">Offset of the first character in the document's text (UTF-16 code units).</param>
/// <param name="End">Offset just past the last character.</param>
/// <param name="Text">The chunk's text.</param>
/// <param name="TokenCount">Tokens in <paramref name="Text"/> (cl100k).</param>
/// <param name="Section">Where the chunk sits: a heading path, a function name, a page.</param>
public sealed record TextChunk(int Index, int Start, int End, string Text, int TokenCount, string? Section)
{
    /// <summary>Its length in UTF-16 code units.</summary>
    public int Length => End - Start;
}

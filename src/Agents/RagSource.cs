namespace Rag.Agents;

/// <summary>
/// A numbered source of the context: what was kept of one retrieved chunk, where it is in its document (spans of the
/// document's parsed text, end exclusive), and a link to it.
/// </summary>
public sealed record RagSource(
    int Number,
    string Collection,
    string DocumentId,
    string? Title,
    string ChunkId,
    IReadOnlyList<RagSpan> Spans,
    string Text,
    double Score,
    Uri Link);

/// <summary>A span of a document's parsed text: characters <c>[Start, End)</c>.</summary>
public sealed record RagSpan(int Start, int End);

/// <summary>The context for one question: its sources, the text a model reads, and what compression did.</summary>
/// <param name="Question">What was searched for.</param>
/// <param name="Sources">The numbered sources, in the order the model reads them.</param>
/// <param name="Text">The sources as the model reads them: a header, then each source with its number and place.</param>
/// <param name="OriginTokens">Tokens of the retrieved chunks before compression.</param>
/// <param name="CompressedTokens">Tokens of what was kept (the sources' text, without the headers).</param>
/// <param name="Method">The compression method that ran.</param>
public sealed record RagContext(string Question, IReadOnlyList<RagSource> Sources, string Text, int OriginTokens, int CompressedTokens, string Method);

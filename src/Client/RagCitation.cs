namespace Rag.Client;

/// <summary>A source of an answer: <c>text[Start..End] == Quote</c> in the document's parsed text.</summary>
public sealed record RagCitation(int Number, string DocumentId, string ChunkId, int Start, int End, string Quote, double Score);

namespace Rag.Engine.Answers;

/// <summary>
/// Where a part of the answer comes from: <c>text[Start..End] == Quote</c> for the document's
/// parsed text (<c>GET .../documents/{id}/content</c>).
/// </summary>
public sealed record Citation(int Number, string DocumentId, string ChunkId, int Start, int End, string Quote, double Score);

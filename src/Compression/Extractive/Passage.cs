namespace Rag.Compression.Extractive;

/// <summary>A retrieved passage offered to extractive selection, best-ranked first.</summary>
/// <param name="Id">The caller's id for the passage (for example a chunk id).</param>
/// <param name="Text">The passage text.</param>
/// <param name="Rank">0 for the best retrieved passage.</param>
public sealed record Passage(string Id, string Text, int Rank);

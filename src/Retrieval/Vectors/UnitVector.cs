namespace Rag.Retrieval.Vectors;

/// <summary>A unit (sentence) of a chunk: its span as character offsets into the chunk's text, and its vector.</summary>
public sealed record UnitVector(int Start, int Length, float[] Vector);

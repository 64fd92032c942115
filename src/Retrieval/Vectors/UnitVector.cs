namespace Rag.Retrieval.Vectors;

/// <summary>A unit (sentence) of a chunk: its span [Start, End) as character offsets into the chunk's text, and its vector.</summary>
public sealed record UnitVector(int Start, int End, float[] Vector)
{
    /// <summary>The span's length in UTF-16 code units.</summary>
    public int Length => End - Start;
}

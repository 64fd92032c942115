using System.Numerics.Tensors;

namespace Rag.Retrieval.Vectors;

/// <summary>One text's vector.</summary>
/// <param name="Vector">Unit length (L2 norm 1), <see cref="ITextEmbedder.Dimensions"/> long.</param>
/// <param name="Tokens">Tokens the model read.</param>
/// <param name="Truncated">True when the text was longer than the model's limit and only its start was read.</param>
/// <param name="Spans">With late chunking, each span's vector pooled from this text's pass (null: a span it could not pool).</param>
public sealed record Embedding(float[] Vector, int Tokens, bool Truncated, IReadOnlyList<float[]?>? Spans = null)
{
    /// <summary>
    /// The normalised, token-weighted mean of <paramref name="parts"/>: one vector for a text read in pieces (a long
    /// passage's windows, a chunk's units), covering all of them; truncated when any part was.
    /// </summary>
    public static Embedding Pool(IReadOnlyList<Embedding> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 1)
            return parts[0];
        var sum = new float[parts[0].Vector.Length];
        var tokens = 0;
        foreach (var part in parts)
        {
            TensorPrimitives.MultiplyAdd(part.Vector, part.Tokens, sum, sum);
            tokens += part.Tokens;
        }

        var norm = TensorPrimitives.Norm(sum);
        if (norm > 0)
            TensorPrimitives.Divide(sum, norm, sum);
        return new Embedding(sum, tokens, parts.Any(p => p.Truncated));
    }
}

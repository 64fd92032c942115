namespace Rag.Retrieval.Vectors;

/// <summary>One text's vector.</summary>
/// <param name="Vector">Unit length (L2 norm 1), <see cref="ITextEmbedder.Dimensions"/> long.</param>
/// <param name="Tokens">Tokens the model read.</param>
/// <param name="Truncated">True when the text was longer than the model's limit and only its start was read.</param>
/// <param name="Spans">With late chunking, each span's vector pooled from this text's pass (null: a span it could not pool).</param>
public sealed record Embedding(float[] Vector, int Tokens, bool Truncated, IReadOnlyList<float[]?>? Spans = null);

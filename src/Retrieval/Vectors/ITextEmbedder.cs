namespace Rag.Retrieval.Vectors;

/// <summary>Turns text into unit-length vectors. Engine implements it with an ONNX encoder.</summary>
public interface ITextEmbedder
{
    /// <summary>
    /// Names the model and its weights. Vectors made by one model are never compared with another
    /// model's: the vector index keeps this id with every document's vectors.
    /// </summary>
    string ModelId { get; }

    /// <summary>Length of every vector.</summary>
    int Dimensions { get; }

    /// <summary>Embeds passages of documents; the results are in the same order.</summary>
    Task<IReadOnlyList<Embedding>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken);

    /// <summary>
    /// Embeds search queries. Asymmetric encoders (arctic-embed, E5, BGE) read a query with a prefix
    /// of its own; queries also go ahead of document work waiting for the model.
    /// </summary>
    Task<IReadOnlyList<Embedding>> EmbedQueriesAsync(IReadOnlyList<string> queries, CancellationToken cancellationToken);
}

/// <summary>One text's vector.</summary>
/// <param name="Vector">Unit length (L2 norm 1), <see cref="ITextEmbedder.Dimensions"/> long.</param>
/// <param name="Tokens">Tokens the model read.</param>
/// <param name="Truncated">True when the text was longer than the model's limit and only its start was read.</param>
/// <param name="Spans">With late chunking, each span's vector pooled from this text's pass (null: a span it could not pool).</param>
public sealed record Embedding(float[] Vector, int Tokens, bool Truncated, IReadOnlyList<float[]?>? Spans = null);

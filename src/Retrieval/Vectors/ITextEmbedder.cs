namespace Rag.Retrieval.Vectors;

/// <summary>
/// Turns text into unit-length vectors: the port search, ingestion and the vector backfill use. Engine's ONNX
/// encoder implements it; where no encoder is configured the service has none and search is lexical.
/// </summary>
public interface ITextEmbedder
{
    /// <summary>
    /// Names the model and its weights. Vectors made by one model are never compared with another
    /// model's: the vector index keeps this id with every document's vectors.
    /// </summary>
    string ModelId { get; }

    /// <summary>Length of every vector.</summary>
    int Dimensions { get; }

    /// <summary>Most tokens the model reads of one text; the rest of a longer text is not read.</summary>
    int MaxTokens { get; }

    /// <summary>The dense list's weight in hybrid search fitted for this model, or null (the search default then).</summary>
    double? HybridDenseWeight { get; }

    /// <summary>How much BM25's confidence lowers the dense weight per query, fitted for this model, or null.</summary>
    double? HybridLexicalGapWeight { get; }

    /// <summary>Embeds passages of documents; the results are in the same order.</summary>
    Task<IReadOnlyList<Embedding>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken);

    /// <summary>
    /// Embeds search queries. Asymmetric encoders (arctic-embed, E5, BGE) read a query with a prefix
    /// of its own; queries also go ahead of document work waiting for the model.
    /// </summary>
    Task<IReadOnlyList<Embedding>> EmbedQueriesAsync(IReadOnlyList<string> queries, CancellationToken cancellationToken);

    /// <summary>
    /// Embeds passages and, from the same pass, the given spans of each (character offsets into its text):
    /// late chunking. A span the model cannot pool from the pass gets null in <see cref="Embedding.Spans"/>,
    /// and the caller embeds it on its own.
    /// </summary>
    Task<IReadOnlyList<Embedding>> EmbedWithSpansAsync(
        IReadOnlyList<string> texts, IReadOnlyList<IReadOnlyList<(int Start, int Length)>> spans, CancellationToken cancellationToken);
}

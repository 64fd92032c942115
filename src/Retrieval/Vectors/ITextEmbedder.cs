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

    /// <summary>The share of hybrid search's dense weight given to a chunk's best unit (max-sim), fitted for this model, or null (none).</summary>
    double? HybridUnitShare => null;

    /// <summary>The encoder's weight against BM25 when sentences and items of retrieved text are ranked for compression and extractive answers, fitted for this model, or null (the search's dense weight then).</summary>
    double? SentenceDenseWeight => null;

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
        IReadOnlyList<string> texts, IReadOnlyList<IReadOnlyList<(int Start, int End)>> spans, CancellationToken cancellationToken);

    /// <summary>
    /// Embeds passages whole, each read after its context (a document title and heading path; null: none): a passage
    /// longer than the model's window is read in windows that together cover all of it — each after the context — and
    /// its vector is the normalised, token-weighted mean of theirs, so no vector covers only a passage's start. With
    /// <paramref name="spans"/> (character offsets into each passage), each span's vector is pooled from the pass that
    /// read it, as <see cref="EmbedWithSpansAsync"/> pools them; a span cut by a window's edge gets null. The default
    /// reads the context and the passage as one text.
    /// </summary>
    async Task<IReadOnlyList<Embedding>> EmbedWholeAsync(
        IReadOnlyList<string> texts, IReadOnlyList<string?> contexts, IReadOnlyList<IReadOnlyList<(int Start, int End)>>? spans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(contexts);
        var prefixes = contexts.Select(c => c is { Length: > 0 } ? c + "\n\n" : "").ToList();
        var joined = texts.Select((t, i) => prefixes[i] + t).ToList();
        if (spans is null)
            return await EmbedAsync(joined, cancellationToken);
        return await EmbedWithSpansAsync(joined, [.. spans.Select((list, i) => (IReadOnlyList<(int, int)>)[.. list.Select(s => (s.Start + prefixes[i].Length, s.End + prefixes[i].Length))])], cancellationToken);
    }
}

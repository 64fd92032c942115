namespace Rag.Compression.Extractive;

/// <summary>How sentences are ranked by relevance to a question (LongLLMLingua's <c>rank_method</c>).</summary>
public enum RankMethod
{
    /// <summary>BM25 over the sentences fused with the encoder's similarity, weighted as hybrid search is. The default when an encoder is configured.</summary>
    Hybrid,

    /// <summary>BM25 over the sentences (statistics taken over them).</summary>
    Bm25,

    /// <summary>The encoder's cosine similarity to the question.</summary>
    Dense,
}

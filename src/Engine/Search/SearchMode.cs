namespace Rag.Engine.Search;

/// <summary>How chunks are found.</summary>
public enum SearchMode
{
    /// <summary>BM25 over words.</summary>
    Lexical,

    /// <summary>Cosine similarity of embeddings (needs an embedder).</summary>
    Dense,

    /// <summary>Both, fused by a weighted convex combination (Rag:Search; needs an embedder). The default when an embedder is configured.</summary>
    Hybrid,
}

using System.Text.Json.Serialization;

namespace Rag.Compression.Extractive;

/// <summary>How sentences are ranked by relevance to a question (LongLLMLingua's <c>rank_method</c>).</summary>
public enum RankMethod
{
    /// <summary>BM25 over the sentences fused with the encoder's similarity, weighted as hybrid search is. The default when an encoder is configured.</summary>
    [JsonStringEnumMemberName("hybrid")]
    Hybrid,

    /// <summary>BM25 over the sentences (statistics taken over them).</summary>
    [JsonStringEnumMemberName("bm25")]
    Bm25,

    /// <summary>The encoder's cosine similarity to the question.</summary>
    [JsonStringEnumMemberName("dense")]
    Dense,

    /// <summary>
    /// LongLLMLingua's own coarse signal: the scorer's likelihood of the question after the sentence
    /// (−mean NLL of the question's tokens). Needs the scorer; with the fixture decoder it ranks near chance.
    /// </summary>
    [JsonStringEnumMemberName("longllmlingua")]
    LongLlmLingua,
}

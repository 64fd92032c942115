namespace Rag.Compression.Ports;

/// <summary>
/// How close each sentence is in meaning to a question: the cosine similarity of their sentence
/// embeddings (Engine implements it with the encoder). Paraphrases score high without sharing a word.
/// </summary>
public interface ISentenceSimilarity
{
    /// <summary>The weight this signal gets against BM25 when the two are fused (the encoder's fitted hybrid weight).</summary>
    double Weight { get; }

    /// <summary>
    /// One similarity per sentence, in order. <paramref name="scope"/> is the tenant the work is done for:
    /// an implementation that keeps sentence vectors keeps them per scope.
    /// </summary>
    Task<float[]> SimilarityAsync(string question, IReadOnlyList<string> sentences, string scope, CancellationToken cancellationToken);

    /// <summary>
    /// A second hop: similarity to the question together with <paramref name="pivot"/>, one of the sentences (the
    /// best of the first ranking), the two texts embedded together as a question. (Adding the pivot's vector to
    /// the question's instead costs no encoder pass but measured no gain over a single ranking.)
    /// </summary>
    Task<float[]> HopSimilarityAsync(string question, string pivot, IReadOnlyList<string> sentences, string scope, CancellationToken cancellationToken) =>
        SimilarityAsync(question + " " + pivot, sentences, scope, cancellationToken);
}

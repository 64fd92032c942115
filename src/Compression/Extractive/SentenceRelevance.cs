using System.Text.RegularExpressions;
using Rag.Compression.Ports;

namespace Rag.Compression.Extractive;

/// <summary>
/// Relevance of sentences to a question: BM25 with statistics over the sentences themselves, the
/// encoder's similarity, or both fused as hybrid search fuses them — a convex combination of min-max
/// normalised scores with the encoder's fitted weight.
/// </summary>
public static partial class SentenceRelevance
{
    private const double K1 = 1.2;
    private const double B = 0.75;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "did", "do", "does", "for", "from", "had", "has", "have",
        "how", "i", "in", "is", "it", "its", "of", "on", "or", "so", "that", "the", "their", "them", "there", "these",
        "they", "this", "those", "to", "was", "were", "what", "when", "where", "which", "who", "whom", "why", "will",
        "with", "you", "your", "we", "our", "can", "could", "would", "should", "about", "into", "than", "then", "he", "she",
        "his", "her", "him", "me", "my", "not", "no", "if", "been", "being",
    };

    /// <summary>
    /// One score per sentence and whether it is relevant at all: for BM25 a shared term, for the
    /// encoder a similarity in the upper half of the sentences' range. Scores are in [0, 1] when the
    /// encoder takes part, raw BM25 otherwise.
    /// </summary>
    /// <param name="question">The question.</param>
    /// <param name="sentences">The sentences to score.</param>
    /// <param name="method">How to score them.</param>
    /// <param name="similarity">The encoder's similarity (hybrid, dense); null: BM25.</param>
    /// <param name="scope">The tenant the work is done for.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    /// <param name="pivot">A second hop: score against the question together with this sentence (BM25 over both texts' terms; the encoder's <see cref="ISentenceSimilarity.HopSimilarityAsync"/>).</param>
    public static async Task<(double[] Scores, bool[] Relevant)> ScoreAsync(
        string question, IReadOnlyList<string> sentences, RankMethod method, ISentenceSimilarity? similarity, string scope, CancellationToken cancellationToken,
        string? pivot = null)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(sentences);
        var lexicalQuery = pivot is null ? question : question + " " + pivot;
        if (similarity is null || method == RankMethod.Bm25)
        {
            var lexical = Bm25(lexicalQuery, sentences);
            return (lexical, [.. lexical.Select(l => l > 0)]);
        }

        var similarities = pivot is null
            ? await similarity.SimilarityAsync(question, sentences, scope, cancellationToken)
            : await similarity.HopSimilarityAsync(question, pivot, sentences, scope, cancellationToken);
        var dense = Normalise([.. similarities.Select(d => (double)d)]);
        var relevant = dense.Select(d => d >= 0.5).ToArray();
        if (method == RankMethod.Dense)
            return (dense, relevant);
        var bm25 = Bm25(lexicalQuery, sentences);
        var lexicalNormalised = Normalise(bm25);
        var weight = similarity.Weight;
        var scores = dense.Select((d, i) => (weight * d) + ((1 - weight) * lexicalNormalised[i])).ToArray();
        for (var i = 0; i < relevant.Length; i++)
            relevant[i] |= bm25[i] > 0;
        return (scores, relevant);
    }

    /// <summary>BM25 of each sentence for the question's terms, with document frequencies over the sentences.</summary>
    public static double[] Bm25(string question, IReadOnlyList<string> sentences)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var query = Terms(question).Distinct().ToList();
        var terms = sentences.Select(Terms).ToList();
        var scores = new double[sentences.Count];
        if (query.Count == 0 || sentences.Count == 0)
            return scores;
        var documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var sentence in terms)
        {
            foreach (var term in sentence.Distinct())
                documentFrequency[term] = documentFrequency.GetValueOrDefault(term) + 1;
        }

        var averageLength = Math.Max(1.0, terms.Average(t => t.Count));
        for (var s = 0; s < terms.Count; s++)
        {
            var sentence = terms[s];
            foreach (var term in query)
            {
                var tf = sentence.Count(t => t == term);
                if (tf == 0)
                    continue;
                var df = documentFrequency[term];
                var idf = Math.Log(1 + ((sentences.Count - df + 0.5) / (df + 0.5)));
                scores[s] += idf * (tf * (K1 + 1)) / (tf + (K1 * (1 - B + (B * sentence.Count / averageLength))));
            }
        }

        return scores;
    }

    /// <summary>Lower-cased words without stop words, with a light plural/possessive stemmer.</summary>
    public static List<string> Terms(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var terms = new List<string>();
        foreach (var match in Word().EnumerateMatches(text))
        {
            var word = text.Substring(match.Index, match.Length).ToLowerInvariant();
            if (word.EndsWith("'s", StringComparison.Ordinal))
                word = word[..^2];
            if (StopWords.Contains(word))
                continue;
            if (word.Length > 4 && word.EndsWith("ies", StringComparison.Ordinal))
                word = word[..^3] + "y";
            else if (word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal))
                word = word[..^1];
            terms.Add(word);
        }

        return terms;
    }

    /// <summary>Min-max normalisation to [0, 1]; all equal gives all 1 when positive, else all 0.</summary>
    private static double[] Normalise(double[] values)
    {
        if (values.Length == 0)
            return values;
        var min = values.Min();
        var max = values.Max();
        return [.. values.Select(v => max > min ? (v - min) / (max - min) : (v > 0 ? 1.0 : 0.0))];
    }

    [GeneratedRegex(@"[\p{L}\p{N}_]+(?:'s)?")]
    private static partial Regex Word();
}

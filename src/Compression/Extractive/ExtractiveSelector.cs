using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;
using Rag.Compression.Ports;

namespace Rag.Compression.Extractive;

/// <summary>
/// Query-aware extractive selection: scores every sentence of the retrieved passages with BM25
/// against the question (statistics taken over those sentences) — fused, when a sentence encoder is
/// given, with the sentences' embedding similarity to the question, the same convex combination of
/// min-max normalised scores hybrid search uses — breaks ties toward better-ranked passages, and keeps
/// the best sentences that fit in a token budget. Overlapping chunks can repeat a sentence; a repeat
/// is kept once. Headings and fragments of fewer than two content words are never picked.
/// </summary>
public sealed partial class ExtractiveSelector(Tokenizer tokenizer)
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
    /// Picks sentences for <paramref name="question"/> from <paramref name="passages"/> until
    /// <paramref name="budgetTokens"/> is spent, by BM25 alone. The result is ordered best first;
    /// sentences that share no term with the question are never picked.
    /// </summary>
    public IReadOnlyList<SelectedSentence> Select(string question, IReadOnlyList<Passage> passages, int budgetTokens) =>
        SelectAsync(question, passages, budgetTokens, null, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// Picks sentences by BM25 fused with <paramref name="similarity"/> (when given). With it, a
    /// sentence sharing no term with the question is still picked when its similarity is in the upper
    /// half of the candidates' range: that is how a paraphrased question finds its answer.
    /// </summary>
    public async Task<IReadOnlyList<SelectedSentence>> SelectAsync(
        string question, IReadOnlyList<Passage> passages, int budgetTokens, ISentenceSimilarity? similarity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(passages);
        var queryTerms = Terms(question).Distinct().ToList();
        if ((queryTerms.Count == 0 && similarity is null) || string.IsNullOrWhiteSpace(question) || budgetTokens <= 0)
            return [];

        var candidates = new List<(Passage Passage, Sentence Sentence, List<string> Terms)>();
        foreach (var passage in passages)
        {
            foreach (var sentence in SentenceSplitter.Split(passage.Text))
            {
                // A heading names a topic but answers nothing; a fragment of one or two words neither.
                if (passage.Text[sentence.Start] == '#')
                    continue;
                var terms = Terms(passage.Text.Substring(sentence.Start, sentence.Length));
                if (terms.Count >= 2)
                    candidates.Add((passage, sentence, terms));
            }
        }

        if (candidates.Count == 0)
            return [];

        var documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var candidate in candidates)
        {
            foreach (var term in candidate.Terms.Distinct())
                documentFrequency[term] = documentFrequency.GetValueOrDefault(term) + 1;
        }

        var averageLength = Math.Max(1.0, candidates.Average(c => c.Terms.Count));
        var lexical = candidates.Select(c => Bm25(queryTerms, c.Terms, documentFrequency, candidates.Count, averageLength)).ToArray();
        var scores = lexical;
        var eligible = lexical.Select(l => l > 0).ToArray();
        if (similarity is not null)
        {
            var dense = await similarity.SimilarityAsync(question, [.. candidates.Select(c => c.Passage.Text.Substring(c.Sentence.Start, c.Sentence.Length))], cancellationToken);
            var denseNormalised = Normalise(dense.Select(d => (double)d).ToArray());
            var lexicalNormalised = Normalise(lexical);
            scores = [.. denseNormalised.Select((d, i) => (similarity.Weight * d) + ((1 - similarity.Weight) * lexicalNormalised[i]))];
            for (var i = 0; i < eligible.Length; i++)
                eligible[i] |= denseNormalised[i] >= 0.5;
        }

        var scored = candidates
            .Select((c, i) => (c.Passage, c.Sentence, Score: scores[i], Eligible: eligible[i]))
            .Where(c => c.Eligible)
            .OrderByDescending(c => c.Score + 0.01 / (1 + c.Passage.Rank))
            .ToList();

        var selected = new List<SelectedSentence>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var remaining = budgetTokens;
        foreach (var (passage, sentence, score, _) in scored)
        {
            var text = passage.Text.Substring(sentence.Start, sentence.Length);
            if (!seen.Add(Normalize(text)))
                continue;
            var tokens = tokenizer.CountTokens(text);
            if (tokens > remaining)
                continue;
            selected.Add(new SelectedSentence(passage, sentence.Start, sentence.Length, text, score, tokens));
            remaining -= tokens;
            if (remaining <= 0)
                break;
        }

        return selected;
    }

    /// <summary>Min-max normalisation to [0, 1]; all equal gives all 1 when positive, else all 0.</summary>
    private static double[] Normalise(double[] values)
    {
        var min = values.Min();
        var max = values.Max();
        return [.. values.Select(v => max > min ? (v - min) / (max - min) : (v > 0 ? 1.0 : 0.0))];
    }

    private static double Bm25(List<string> query, List<string> sentence, Dictionary<string, int> df, int n, double averageLength)
    {
        if (sentence.Count == 0)
            return 0;
        var score = 0.0;
        foreach (var term in query)
        {
            var tf = sentence.Count(t => t == term);
            if (tf == 0)
                continue;
            var idf = Math.Log(1 + ((n - df[term] + 0.5) / (df[term] + 0.5)));
            score += idf * (tf * (K1 + 1)) / (tf + (K1 * (1 - B + (B * sentence.Count / averageLength))));
        }

        return score;
    }

    /// <summary>Lower-cased words without stop words, with a light plural/possessive stemmer.</summary>
    internal static List<string> Terms(string text)
    {
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

    private static string Normalize(string text) => Whitespace().Replace(text, " ").Trim().ToLowerInvariant();

    [GeneratedRegex(@"[\p{L}\p{N}_]+(?:'s)?")]
    private static partial Regex Word();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

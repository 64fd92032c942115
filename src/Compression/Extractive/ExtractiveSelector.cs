using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;
using Rag.Compression.Ports;
using Rag.Text;

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
    /// <summary>
    /// Picks sentences for <paramref name="question"/> from <paramref name="passages"/> until
    /// <paramref name="budgetTokens"/> is spent, by BM25 alone. The result is ordered best first;
    /// sentences that share no term with the question are never picked.
    /// </summary>
    public IReadOnlyList<SelectedSentence> Select(string question, IReadOnlyList<Passage> passages, int budgetTokens) =>
        SelectAsync(question, passages, budgetTokens, null, "", CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// Picks sentences by BM25 fused with <paramref name="similarity"/> (when given). With it, a
    /// sentence sharing no term with the question is still picked when its similarity is in the upper
    /// half of the candidates' range: that is how a paraphrased question finds its answer.
    /// </summary>
    public async Task<IReadOnlyList<SelectedSentence>> SelectAsync(
        string question, IReadOnlyList<Passage> passages, int budgetTokens, ISentenceSimilarity? similarity, string scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(passages);
        if ((SentenceRelevance.Terms(question).Count == 0 && similarity is null) || string.IsNullOrWhiteSpace(question) || budgetTokens <= 0)
            return [];

        var candidates = new List<(Passage Passage, Unit Sentence)>();
        foreach (var passage in passages)
        {
            foreach (var sentence in UnitSplitter.Split(passage.Text))
            {
                // A heading names a topic but answers nothing; a fragment of one or two words neither.
                if (sentence.Kind == UnitKind.Heading || passage.Text[sentence.Start] == '#')
                    continue;
                if (SentenceRelevance.Terms(passage.Text.Substring(sentence.Start, sentence.Length)).Count >= 2)
                    candidates.Add((passage, sentence));
            }
        }

        if (candidates.Count == 0)
            return [];

        var texts = candidates.Select(c => c.Passage.Text.Substring(c.Sentence.Start, c.Sentence.Length)).ToList();
        var (scores, eligible) = await SentenceRelevance.ScoreAsync(question, texts, RankMethod.Hybrid, similarity, scope, cancellationToken);

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
            selected.Add(new SelectedSentence(passage, sentence.Start, sentence.End, text, score, tokens));
            remaining -= tokens;
            if (remaining <= 0)
                break;
        }

        return selected;
    }

    private static string Normalize(string text) => Whitespace().Replace(text, " ").Trim().ToLowerInvariant();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

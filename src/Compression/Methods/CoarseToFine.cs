using Rag.Compression.Extractive;
using Rag.Compression.Ports;
using Rag.Compression.Text;

namespace Rag.Compression.Methods;

/// <summary>
/// Question-aware coarse-to-fine compression, structured as LongLLMLingua's: a coarse stage ranks
/// sentences (lines where the text has none) across every context by relevance to the question —
/// <c>rank_method</c> <c>hybrid</c> (BM25 over the sentences fused with the encoder's cosine, the
/// encoder's fitted weight), <c>bm25</c> or <c>dense</c> — and keeps the best whole, in their original
/// order, until the budget is used; the one sentence that fits only in part is kept from its start, so
/// the budget is met exactly (the fine stage).
/// <para>
/// Deviations from LongLLMLingua, on purpose: the coarse ranking is over sentences of all contexts at
/// once, so a context gets budget in proportion to its relevant sentences (their dynamic per-context
/// ratio falls out of that rather than being set by rank); the ranker is an encoder and BM25 rather
/// than the LLM's question perplexity, which measured far better here (docs/compression-results.md);
/// and there is no token-level surprisal pruning yet — inside a kept sentence every word stays.
/// </para>
/// </summary>
internal static class CoarseToFine
{
    /// <summary>Unit priorities: a sentence's rank decides, and inside the sentence earlier words go first.</summary>
    public static async Task<double[]> PrioritiesAsync(
        IReadOnlyList<string> texts, IReadOnlyList<TextUnit> units, string question, RankMethod method, ISentenceSimilarity? similarity,
        string scope, CancellationToken cancellationToken)
    {
        var sentences = new List<(int Item, int Start, int End)>();
        for (var i = 0; i < texts.Count; i++)
            sentences.AddRange(SentenceSplitter.Split(texts[i]).Select(s => (i, s.Start, s.Start + s.Length)));
        var (scores, _) = await SentenceRelevance.ScoreAsync(
            question, [.. sentences.Select(s => texts[s.Item][s.Start..s.End])], method, similarity, scope, cancellationToken);
        var rank = new int[sentences.Count];
        var order = Enumerable.Range(0, sentences.Count).OrderByDescending(s => scores[s]).ThenBy(s => s).ToArray();
        for (var r = 0; r < order.Length; r++)
            rank[order[r]] = r;

        // Each unit belongs to the sentence holding its last character (a unit carries the white space before it).
        var sentenceOf = new int[units.Count];
        var next = 0;
        for (var u = 0; u < units.Count; u++)
        {
            var last = (units[u].Item, units[u].End - 1);
            while (next < sentences.Count - 1 && (sentences[next].Item, sentences[next].End - 1).CompareTo(last) < 0)
                next++;
            sentenceOf[u] = next;
        }

        var priority = new double[units.Count];
        var counts = new int[Math.Max(1, sentences.Count)];
        foreach (var s in sentenceOf)
            counts[s]++;
        var seen = new int[counts.Length];
        for (var u = 0; u < units.Count; u++)
        {
            var s = sentenceOf[u];
            var position = seen[s]++;
            priority[u] = (2.0 * (sentences.Count - (sentences.Count == 0 ? 0 : rank[s]))) + (1.0 - ((double)position / counts[s]));
        }

        return priority;
    }
}

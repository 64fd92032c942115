using Rag.Compression.Extractive;
using Rag.Compression.Ports;
using Rag.Compression.Text;
using Rag.Text;

namespace Rag.Compression.Methods;

/// <summary>
/// Question-aware coarse-to-fine compression, structured as LongLLMLingua's: a coarse stage ranks
/// sentences (lines where the text has none) across every context by relevance to the question —
/// <c>rank_method</c> <c>hybrid</c> (BM25 over the sentences fused with the encoder's cosine, the
/// encoder's fitted weight), <c>bm25</c>, <c>dense</c> or <c>longllmlingua</c> (the scorer's likelihood of
/// the question after the sentence, LongLLMLingua's own signal) — and keeps the best whole, in their original
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
    /// <summary>
    /// Unit priorities: a sentence's rank decides (the first/last sentences of each context asked for rank
    /// above all), and inside the sentence earlier words go first.
    /// </summary>
    public static async Task<double[]> PrioritiesAsync(
        IReadOnlyList<string> texts, IReadOnlyList<Word> units, string question, CoarseRanking ranking, string scope, CancellationToken cancellationToken)
    {
        var sentences = new List<(int Item, int Start, int End)>();
        var forced = new List<bool>();
        var kinds = new List<UnitKind>();
        for (var i = 0; i < texts.Count; i++)
        {
            var split = UnitSplitter.Split(texts[i]);
            sentences.AddRange(split.Select(s => (i, s.Start, s.Start + s.Length)));
            forced.AddRange(split.Select((_, k) => k < ranking.KeepFirst || k >= split.Count - ranking.KeepLast));
            kinds.AddRange(split.Select(s => s.Kind));
        }

        var sentenceTexts = sentences.Select(s => texts[s.Item][s.Start..s.End]).ToList();
        var scores = ranking.Method == RankMethod.LongLlmLingua
            ? await QuestionLikelihoodAsync(question, sentenceTexts, ranking.Scorer!, cancellationToken)
            : (await SentenceRelevance.ScoreAsync(question, sentenceTexts, ranking.Method, ranking.Similarity, scope, cancellationToken)).Scores;
        if (ranking.SecondHop && ranking.Method != RankMethod.LongLlmLingua && sentences.Count > 1)
        {
            // The second hop: the question with its best sentence, ranked again; each sentence keeps its better score.
            var best = Enumerable.Range(0, sentences.Count).MaxBy(s => scores[s]);
            var second = (await SentenceRelevance.ScoreAsync(
                question, sentenceTexts, ranking.Method, ranking.Similarity, scope, cancellationToken, pivot: sentenceTexts[best])).Scores;
            scores = [.. scores.Select((score, s) => Math.Max(score, second[s]))];
        }

        LiftHeadings(sentences, kinds, scores);
        var rank = new int[sentences.Count];
        var order = Enumerable.Range(0, sentences.Count).OrderByDescending(s => forced[s]).ThenByDescending(s => scores[s]).ThenBy(s => s).ToArray();
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

    /// <summary>
    /// Headings as cheap context: a short heading ranks right after the best unit of its section (the units up to the
    /// next heading of its context), so when that unit is kept and budget is left, the heading that names its topic is
    /// kept with it; on its own a heading answers nothing and ranks no higher. A heading over
    /// <see cref="CheapHeadingCharacters"/> characters, or with nothing under it, keeps its own score.
    /// </summary>
    internal static void LiftHeadings(IReadOnlyList<(int Item, int Start, int End)> sentences, IReadOnlyList<UnitKind> kinds, double[] scores)
    {
        var heading = -1;
        var best = double.NegativeInfinity;
        for (var s = 0; s <= sentences.Count; s++)
        {
            var closes = s == sentences.Count || kinds[s] == UnitKind.Heading || (heading >= 0 && sentences[s].Item != sentences[heading].Item);
            if (closes && heading >= 0 && best > double.NegativeInfinity && sentences[heading].End - sentences[heading].Start <= CheapHeadingCharacters)
                scores[heading] = best - (1e-9 * Math.Max(1, Math.Abs(best)));
            if (closes)
            {
                heading = s < sentences.Count && kinds[s] == UnitKind.Heading ? s : -1;
                best = double.NegativeInfinity;
            }
            else if (heading >= 0)
            {
                best = Math.Max(best, scores[s]);
            }
        }
    }

    /// <summary>The longest heading <see cref="LiftHeadings"/> keeps as context (about 20 tokens).</summary>
    internal const int CheapHeadingCharacters = 80;

    /// <summary>
    /// LongLLMLingua's coarse score of each sentence: the mean log-likelihood of the question's tokens after
    /// it, <c>−mean NLL(question | sentence)</c> (higher: the sentence explains the question better). A sentence
    /// too long for the scorer keeps its end, next to the question.
    /// </summary>
    private static async Task<double[]> QuestionLikelihoodAsync(string question, IReadOnlyList<string> sentences, ITokenScorer scorer, CancellationToken cancellationToken)
    {
        var questionIds = scorer.Tokenizer.EncodeToIds(" " + question);
        var bos = scorer.BosTokenId is { } b ? 1 : 0;
        var room = Math.Max(1, scorer.MaxTokens - questionIds.Count - bos);
        var sequences = new List<IReadOnlyList<int>>(sentences.Count);
        var starts = new int[sentences.Count];
        for (var s = 0; s < sentences.Count; s++)
        {
            var ids = scorer.Tokenizer.EncodeToIds(sentences[s]);
            var kept = ids.Skip(Math.Max(0, ids.Count - room)).ToList();
            var sequence = new List<int>(bos + kept.Count + questionIds.Count);
            if (scorer.BosTokenId is { } id)
                sequence.Add(id);
            sequence.AddRange(kept);
            starts[s] = sequence.Count;
            sequence.AddRange(questionIds);
            sequences.Add(sequence);
        }

        var nll = sentences.Count == 0 ? [] : await scorer.ScoreAsync(sequences, cancellationToken);
        var scores = new double[sentences.Count];
        for (var s = 0; s < sentences.Count; s++)
        {
            // nll[s][t] is the loss of token t + 1: the question's tokens are positions starts[s] .. end.
            var losses = nll[s].Skip(starts[s] - 1).Take(questionIds.Count).ToList();
            scores[s] = losses.Count == 0 ? 0 : -losses.Average();
        }

        return scores;
    }
}

/// <summary>How coarse-to-fine ranks sentences: the method, the signals it may use, and the sentences kept first.</summary>
/// <param name="Method">The <c>rank_method</c>.</param>
/// <param name="Similarity">The encoder's similarity (hybrid, dense).</param>
/// <param name="Scorer">The scorer (longllmlingua).</param>
/// <param name="KeepFirst">The first this many sentences of every context rank above all others.</param>
/// <param name="KeepLast">The last this many sentences of every context rank above all others.</param>
/// <param name="SecondHop">Rank again with the question and its best sentence (<see cref="CompressorOptions.SecondHop"/>).</param>
internal sealed record CoarseRanking(RankMethod Method, ISentenceSimilarity? Similarity, ITokenScorer? Scorer, int KeepFirst = 0, int KeepLast = 0, bool SecondHop = false);

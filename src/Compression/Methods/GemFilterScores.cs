using Rag.Compression.Ports;
using Rag.Compression.Text;
using Rag.Text;

namespace Rag.Compression.Methods;

/// <summary>
/// GemFilter as a compressor: the probe's layer-r scores of the question's last token over every
/// position of context + question, smoothed by a moving average (width 5, zero padding), give each
/// unit its best token's score; units are then kept best first under the budget and emitted in
/// their original order. The paper keeps the top-k tokens; we keep whole words (units) so the
/// output is valid text, which costs a few tokens of precision. A context longer than the model
/// takes is probed in windows, each followed by the question.
/// </summary>
internal static class GemFilterScores
{
    public static async Task<double[]> ScoreAsync(IReadOnlyList<string> texts, IReadOnlyList<Word> units, string question, IAttentionProbe probe,
        int smoothing, CancellationToken cancellationToken)
    {
        var questionLength = probe.Tokenizer.CountTokens(question) + 4;
        var room = Math.Max(32, probe.MaxTokens - questionLength - 1);
        var scores = new double[units.Count];
        var first = 0;
        while (first < units.Count)
        {
            // A window of whole units that fits with the question, encoded in one piece.
            var next = first;
            var estimate = 0;
            while (next < units.Count && units[next].Item == units[first].Item && (next == first || estimate + (units[next].Tokens * 3) <= room))
            {
                estimate += units[next].Tokens * 3;
                next++;
            }

            var offset = units[first].Start;
            var windowText = texts[units[first].Item][offset..units[next - 1].End];
            var text = windowText + "\n\n" + question;
            var (tokenIds, starts) = TokenAlignment.Encode(probe.Tokenizer, text);
            var unitStarts = Enumerable.Range(first, next - first).Select(u => units[u].Start - offset).ToArray();
            var ids = new List<int>();
            var owner = new List<int>();
            if (probe.BosTokenId is { } bos)
            {
                ids.Add(bos);
                owner.Add(-1);
            }

            for (var t = 0; t < tokenIds.Count && ids.Count < probe.MaxTokens; t++)
            {
                ids.Add(tokenIds[t]);
                var unit = Array.BinarySearch(unitStarts, starts[t]);
                owner.Add(starts[t] >= windowText.Length ? -1 : first + (unit >= 0 ? unit : Math.Max(0, ~unit - 1)));
            }

            var raw = await probe.ScoresAsync(ids, cancellationToken);
            var smooth = Smooth(raw, smoothing);
            for (var i = first; i < next; i++)
                scores[i] = double.NegativeInfinity;
            for (var t = 0; t < owner.Count; t++)
            {
                if (owner[t] >= 0)
                    scores[owner[t]] = Math.Max(scores[owner[t]], smooth[t]);
            }

            first = next;
        }

        return scores;
    }

    /// <summary>
    /// Priorities that keep whole sentences: each sentence ranks by the mean smoothed score of its
    /// words (the mean, not the best: with the best, long sentences win by having more draws); a
    /// unit's priority is its sentence's rank (best first), then its own score, so the budget takes
    /// sentences whole, best first, and only the last one that fits loses words.
    /// </summary>
    public static double[] BySentence(IReadOnlyList<string> texts, IReadOnlyList<Word> units, double[] scores)
    {
        var sentenceOf = new int[units.Count];
        var best = new List<double>();
        var count = new List<int>();
        var u = 0;
        for (var item = 0; item < texts.Count; item++)
        {
            foreach (var sentence in Rag.Text.UnitSplitter.Split(texts[item]))
            {
                var index = best.Count;
                best.Add(0);
                count.Add(0);
                for (; u < units.Count && units[u].Item == item && units[u].Start < sentence.Start + sentence.Length; u++)
                {
                    sentenceOf[u] = index;
                    if (double.IsFinite(scores[u]))
                    {
                        best[index] += scores[u];
                        count[index]++;
                    }
                }
            }

            // Units past the last sentence (trailing white space) join it.
            for (; u < units.Count && units[u].Item == item; u++)
                sentenceOf[u] = Math.Max(0, best.Count - 1);
        }

        for (var i = 0; i < best.Count; i++)
            best[i] = count[i] == 0 ? double.NegativeInfinity : best[i] / count[i];
        var order = Enumerable.Range(0, best.Count).OrderByDescending(s => best[s]).ThenBy(s => s).ToArray();
        var rank = new int[best.Count];
        for (var r = 0; r < order.Length; r++)
            rank[order[r]] = r;
        var priority = new double[units.Count];
        for (var i = 0; i < units.Count; i++)
            priority[i] = (1000.0 * (best.Count - rank[sentenceOf[i]])) + (double.IsFinite(scores[i]) ? scores[i] : 0);
        return priority;
    }

    /// <summary>Moving average of width <paramref name="width"/> with zero padding at the edges, as the reference does.</summary>
    public static double[] Smooth(float[] values, int width)
    {
        var half = width / 2;
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            double sum = 0;
            for (var j = i - half; j <= i + half; j++)
            {
                if (j >= 0 && j < values.Length)
                    sum += values[j];
            }

            result[i] = sum / width;
        }

        return result;
    }
}

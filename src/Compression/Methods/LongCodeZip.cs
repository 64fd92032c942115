using Rag.Compression.Ports;
using Rag.Compression.Text;

namespace Rag.Compression.Methods;

/// <summary>
/// LongCodeZip (arXiv 2510.00446), both stages, over line units.
/// Coarse: code is cut into function/class chunks (<see cref="CodeChunks"/>); each is ranked by
/// AMI(c, q) = PPL(q) − PPL(q | c), with the NLL averaged over the question's tokens; chunks are
/// kept best first until the coarse budget (budget / fine ratio + 100 tokens) is used.
/// Fine: inside each kept chunk of 5 lines or more, lines are scored by log2 PPL(line | lines above)
/// from one pass; a line that rises above both neighbours by θ = mean + 0.2·std (over positive
/// values) ends a block; each block is valued by PPL(q) − PPL(q | block); blocks that start with a
/// definition or a return are kept; the rest are chosen by 0/1 knapsack (weight = tokens) under the
/// chunk's adaptive budget r_i = clamp(g·(1 + β(2s_i − 1)), 0, 1) of its tokens, s_i its min-max
/// normalised AMI, rescaled so the budgets add up to the target.
/// Differences on purpose: budgets are in tokens of the budget tokenizer rather than lines, and the
/// result is then corrected to within 5% of the target like every method here. With
/// <see cref="CompressorOptions.LongCodeZipStructurePrior"/> (the default) the coarse order puts the
/// chunks whose defined name the question mentions first and the chunks they call second, each group
/// in AMI order, ahead of the rest: AMI needs a scorer that reads code well, and a small one does not.
/// </summary>
internal static class LongCodeZip
{
    private const int SmallChunkLines = 5;

    public static async Task<(bool[] Initial, double[] Priority, int ModelSequences)> SelectAsync(
        IReadOnlyList<string> texts, IReadOnlyList<Word> lines, IReadOnlyList<string?> languages, string question, int budget,
        ITokenScorer scorer, CompressorOptions options, CancellationToken cancellationToken)
    {
        var chunks = Chunks(texts, lines, languages);
        var chunkTexts = chunks.Select(c => Text(texts, lines, c.First, c.Count)).ToList();
        var nll = await QueryRanking.QuestionNllAsync(scorer, [.. chunkTexts, ""], question, cancellationToken);
        var pplQuestion = Math.Exp(nll[^1]);
        var ami = chunks.Select((_, i) => pplQuestion - Math.Exp(nll[i])).ToArray();
        var sequences = chunks.Count + 1;
        var structure = options.LongCodeZipStructurePrior
            ? StructureRank(chunkTexts, [.. chunks.Select(c => languages[lines[c.First].Item])], question)
            : new int[chunks.Count];

        // Coarse: best chunks first until the coarse budget is used (the last may overshoot).
        var coarseBudget = (budget / Math.Clamp(options.LongCodeZipFineRatio, 0.05, 1.0)) + 100;
        var kept = new List<int>();
        var used = 0.0;
        foreach (var c in Enumerable.Range(0, chunks.Count).OrderByDescending(c => structure[c]).ThenByDescending(c => ami[c]).ThenBy(c => c))
        {
            if (used >= coarseBudget)
                break;
            kept.Add(c);
            used += chunks[c].Tokens;
        }

        var initial = new bool[lines.Count];
        var priority = new double[lines.Count];
        // Relevance of a chunk: its structure rank (named 2, called 1), then its normalised AMI.
        var amiNorm = Normalise(ami);
        var relevance = amiNorm.Select((a, c) => structure[c] + a).ToArray();
        for (var c = 0; c < chunks.Count; c++)
        {
            for (var i = 0; i < chunks[c].Count; i++)
                priority[chunks[c].First + i] = 1000 * relevance[c];
        }

        // Fine: adaptive budgets for the large kept chunks.
        var small = kept.Where(c => chunks[c].Count < SmallChunkLines).ToList();
        var large = kept.Where(c => chunks[c].Count >= SmallChunkLines).ToList();
        foreach (var c in small)
            Mark(initial, chunks[c].First, chunks[c].Count);
        var smallTokens = small.Sum(c => chunks[c].Tokens);
        var largeTokens = large.Sum(c => chunks[c].Tokens);
        if (large.Count == 0 || largeTokens == 0)
            return (initial, priority, sequences);

        var target = Math.Max(0, budget - smallTokens);
        var g = (double)target / largeTokens;
        var s = Normalise([.. large.Select(c => relevance[c])]);
        var ratios = large.Select((c, i) => Math.Clamp(g * (1 + (options.LongCodeZipBeta * ((2 * s[i]) - 1))), 0, 1)).ToArray();
        var planned = large.Select((c, i) => ratios[i] * chunks[c].Tokens).Sum();
        var scale = planned > 0 ? target / planned : 0;

        var lineScores = await scorer.ScoreAsync(
            large.Select(c => Segments.Encode(texts, lines, (chunks[c].First, chunks[c].Count), scorer).Ids).ToList(), cancellationToken);
        sequences += large.Count;
        var blocksOf = new List<List<(int First, int Count)>>();
        var blockTexts = new List<string>();
        for (var i = 0; i < large.Count; i++)
        {
            var chunk = chunks[large[i]];
            var encoded = Segments.Encode(texts, lines, (chunk.First, chunk.Count), scorer);
            var perLine = Segments.MeanPerUnit(lineScores[i], encoded.UnitOfToken, chunk.Count).Select(v => v / Math.Log(2)).ToArray();
            var blocks = Blocks(perLine).Select(b => (chunk.First + b.First, b.Count)).ToList();
            blocksOf.Add(blocks);
            blockTexts.AddRange(blocks.Select(b => Text(texts, lines, b.Item1, b.Count)));
        }

        var blockNll = await QueryRanking.QuestionNllAsync(scorer, blockTexts, question, cancellationToken);
        sequences += blockTexts.Count;
        var b0 = 0;
        for (var i = 0; i < large.Count; i++)
        {
            var chunk = chunks[large[i]];
            var capacity = (int)Math.Round(Math.Clamp(ratios[i] * scale, 0, 1) * chunk.Tokens);
            var blocks = blocksOf[i];
            var values = blocks.Select((_, j) => pplQuestion - Math.Exp(blockNll[b0 + j])).ToArray();
            b0 += blocks.Count;
            var weights = blocks.Select(b => Enumerable.Range(b.First, b.Count).Sum(l => lines[l].Tokens)).ToArray();
            var language = languages[lines[chunk.First].Item];
            var forced = blocks.Select(b => CodeChunks.StartsDefinitionOrReturn(Text(texts, lines, b.First, 1).TrimStart('\r', '\n'), language)).ToArray();
            var chosen = Knapsack(values, weights, forced, capacity);
            var valueNorm = Normalise(values);
            for (var j = 0; j < blocks.Count; j++)
            {
                for (var l = blocks[j].First; l < blocks[j].First + blocks[j].Count; l++)
                {
                    priority[l] += valueNorm[j] + (forced[j] ? 1 : 0);
                    initial[l] = chosen[j];
                }
            }
        }

        return (initial, priority, sequences);
    }

    /// <summary>
    /// 2 for chunks whose defined name (3+ characters) the question mentions, 1 for chunks such a chunk
    /// calls (<c>name(</c>), 0 for the rest.
    /// </summary>
    internal static int[] StructureRank(IReadOnlyList<string> chunkTexts, IReadOnlyList<string?> languages, string question)
    {
        var names = chunkTexts.Select((t, i) => CodeChunks.DefinedName(t, languages[i])).ToArray();
        var rank = new int[chunkTexts.Count];
        var named = Enumerable.Range(0, names.Length)
            .Where(i => names[i] is { Length: >= 3 } n && System.Text.RegularExpressions.Regex.IsMatch(question, $@"\b{System.Text.RegularExpressions.Regex.Escape(n)}\b"))
            .ToList();
        foreach (var i in named)
            rank[i] = 2;
        for (var j = 0; j < names.Length; j++)
        {
            if (rank[j] == 0 && names[j] is { Length: >= 3 } callee
                && named.Any(i => System.Text.RegularExpressions.Regex.IsMatch(chunkTexts[i], $@"\b{System.Text.RegularExpressions.Regex.Escape(callee)}\s*\(")))
                rank[j] = 1;
        }

        return rank;
    }

    /// <summary>Blocks of lines: a line whose log-perplexity rises above both neighbours by θ ends a block.</summary>
    internal static List<(int First, int Count)> Blocks(double[] v)
    {
        var positive = v.Where(x => x > 0).ToArray();
        double theta;
        if (positive.Length < 3)
            theta = 0.5;
        else
        {
            var mean = positive.Average();
            var std = Math.Sqrt(positive.Select(x => (x - mean) * (x - mean)).Average());
            theta = mean + (0.2 * std);
        }

        var blocks = new List<(int, int)>();
        var first = 0;
        for (var i = 1; i < v.Length - 1; i++)
        {
            var left = v[i] - v[i - 1];
            var right = v[i] - v[i + 1];
            if (left >= 0 && right >= 0 && Math.Max(left, right) >= theta)
            {
                blocks.Add((first, i + 1 - first));
                first = i + 1;
            }
        }

        if (first < v.Length)
            blocks.Add((first, v.Length - first));
        return blocks;
    }

    /// <summary>0/1 knapsack: forced items first, then the best value under the remaining capacity (exact DP when small, greedy by value/weight otherwise).</summary>
    internal static bool[] Knapsack(double[] values, int[] weights, bool[] forced, int capacity)
    {
        var chosen = (bool[])forced.Clone();
        var left = capacity - weights.Where((_, i) => forced[i]).Sum();
        var items = Enumerable.Range(0, values.Length).Where(i => !forced[i] && values[i] > 0 && weights[i] > 0).ToList();
        if (left <= 0 || items.Count == 0)
            return chosen;
        if ((long)items.Count * left <= 2_000_000)
        {
            var best = new double[left + 1];
            var take = new bool[items.Count, left + 1];
            for (var k = 0; k < items.Count; k++)
            {
                var (w, value) = (weights[items[k]], values[items[k]]);
                for (var c = left; c >= w; c--)
                {
                    if (best[c - w] + value > best[c])
                    {
                        best[c] = best[c - w] + value;
                        take[k, c] = true;
                    }
                }
            }

            for (int k = items.Count - 1, c = left; k >= 0; k--)
            {
                if (take[k, c])
                {
                    chosen[items[k]] = true;
                    c -= weights[items[k]];
                }
            }

            return chosen;
        }

        foreach (var i in items.OrderByDescending(i => values[i] / weights[i]))
        {
            if (weights[i] <= left)
            {
                chosen[i] = true;
                left -= weights[i];
            }
        }

        return chosen;
    }

    private static List<(int First, int Count, int Tokens)> Chunks(IReadOnlyList<string> texts, IReadOnlyList<Word> lines, IReadOnlyList<string?> languages)
    {
        var chunks = new List<(int, int, int)>();
        var first = 0;
        while (first < lines.Count)
        {
            var item = lines[first].Item;
            var end = first;
            while (end < lines.Count && lines[end].Item == item)
                end++;
            var lineTexts = Enumerable.Range(first, end - first).Select(l => texts[item].Substring(lines[l].Start, lines[l].Length).TrimStart('\r', '\n')).ToList();
            var starts = CodeChunks.Starts(lineTexts, languages[item]);
            for (var s = 0; s < starts.Count; s++)
            {
                var from = first + starts[s];
                var to = s + 1 < starts.Count ? first + starts[s + 1] : end;
                chunks.Add((from, to - from, Enumerable.Range(from, to - from).Sum(l => lines[l].Tokens)));
            }

            first = end;
        }

        return chunks;
    }

    private static string Text(IReadOnlyList<string> texts, IReadOnlyList<Word> lines, int first, int count) =>
        texts[lines[first].Item][lines[first].Start..lines[first + count - 1].End].TrimStart('\r', '\n');

    private static void Mark(bool[] mask, int first, int count)
    {
        for (var i = first; i < first + count; i++)
            mask[i] = true;
    }

    private static double[] Normalise(double[] values)
    {
        if (values.Length == 0)
            return [];
        var (min, max) = (values.Min(), values.Max());
        return max - min < 1e-12 ? [.. values.Select(_ => 0.5)] : [.. values.Select(v => (v - min) / (max - min))];
    }
}

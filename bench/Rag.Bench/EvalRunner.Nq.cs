namespace Rag.Bench;

/// <summary>NQ "lost in the middle": answer retention with the gold passage at each position.</summary>
internal static partial class EvalRunner
{
    /// <summary>
    /// NQ "lost in the middle" (the setting LongLLMLingua was measured on): a question, its gold passage
    /// among 19 other questions' gold passages, the gold one at position 0, 4, 9, 14 or 19; kept = one of
    /// the answer strings survives.
    /// </summary>
    private static async Task NqAsync(PromptCompressor compressor, string data, bool quick, Action<string> say)
    {
        int[] positions = [0, 4, 9, 14, 19];
        int[] ratios = [2, 4, 10, 20];
        var cases = await NqCasesAsync(data, quick ? 60 : 300, positions);
        var tokens = cases.Average(c => Cl100k.CountTokens(string.Join("\n\n", c.Context)));
        say($"\n## Answer retention: NQ, 20 passages (lost in the middle)\n\n{cases.Count} questions, ~{tokens:F0} tokens of context each, the gold passage at positions {string.Join(", ", positions)} in turn; kept = an answer string survives (case-insensitive). `coarse_to_fine` ranks sentences by `rank_method` hybrid (BM25 + arctic-embed-xs, the service's default), `:dense`, `:bm25`.\n");
        say("| method | " + string.Join(" | ", ratios.Select(r => $"{r}x")) + " | 10x by gold position (0/4/9/14/19) |");
        say("|---|" + string.Concat(ratios.Select(_ => "---|")) + "---|");
        foreach (var method in Methods.Where(m => !m.StartsWith("gemfilter", StringComparison.Ordinal) || !quick))
        {
            var row = new List<string>();
            var byPosition = positions.ToDictionary(p => p, _ => (Kept: 0, Total: 0));
            foreach (var ratio in ratios)
            {
                var kept = 0;
                foreach (var (context, question, answers, position) in cases)
                {
                    var (prompt, _) = await CompressAsync(compressor, method, context, question, 1.0 / ratio);
                    var survived = answers.Any(a => prompt.Contains(a, StringComparison.OrdinalIgnoreCase));
                    kept += survived ? 1 : 0;
                    if (ratio == 10)
                        byPosition[position] = (byPosition[position].Kept + (survived ? 1 : 0), byPosition[position].Total + 1);
                }

                row.Add($"{(double)kept / cases.Count:P0}");
            }

            say($"| {method} | {string.Join(" | ", row)} | {string.Join(" / ", positions.Select(p => $"{(double)byPosition[p].Kept / byPosition[p].Total:P0}"))} |");
        }
    }

    /// <summary>
    /// The first <paramref name="count"/> NQ questions, each with its gold passage among 19 other questions' gold
    /// passages that hold none of its answers, the gold one at each of <paramref name="positions"/> in turn.
    /// </summary>
    private static async Task<List<(List<string> Context, string Question, List<string> Answers, int Position)>> NqCasesAsync(string data, int count, int[] positions)
    {
        using var file = new GZipStream(File.OpenRead(Path.Combine(data, "nq-lost-in-the-middle", "nq-open-oracle.jsonl.gz")), CompressionMode.Decompress);
        using var reader = new StreamReader(file);
        var items = new List<(string Question, List<string> Answers, string Passage)>();
        while (await reader.ReadLineAsync() is { } line)
        {
            var json = JsonDocument.Parse(line).RootElement;
            var gold = json.GetProperty("ctxs")[0];
            items.Add((json.GetProperty("question").GetString()!, [.. json.GetProperty("answers").EnumerateArray().Select(a => a.GetString()!)],
                $"Document (Title: {gold.GetProperty("title").GetString()}) {gold.GetProperty("text").GetString()}"));
        }

        var random = new Random(11);
        var cases = new List<(List<string> Context, string Question, List<string> Answers, int Position)>();
        for (var q = 0; q < count; q++)
        {
            // Distractors: other questions' gold passages that do not contain this question's answers.
            var distractors = new List<string>();
            while (distractors.Count < 19)
            {
                var other = items[random.Next(items.Count)];
                if (other.Passage != items[q].Passage && !items[q].Answers.Any(a => other.Passage.Contains(a, StringComparison.OrdinalIgnoreCase)) && !distractors.Contains(other.Passage))
                    distractors.Add(other.Passage);
            }

            var position = positions[q % positions.Length];
            distractors.Insert(position, items[q].Passage);
            cases.Add((distractors, items[q].Question, items[q].Answers, position));
        }

        return cases;
    }
}

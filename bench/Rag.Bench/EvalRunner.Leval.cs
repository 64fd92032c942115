namespace Rag.Bench;

internal static partial class EvalRunner
{
    /// <summary>
    /// L-Eval NQ: each long Wikipedia page (23k–140k characters) is one context, with its questions;
    /// kept = an answer string survives (case-insensitive) at 4x and 10x.
    /// </summary>
    private static async Task LevalAsync(Rag.Compression.PromptCompressor compressor, string data, bool quick, Action<string> say)
    {
        var cases = new List<(string Page, string Question, string Answer)>();
        foreach (var line in File.ReadLines(Path.Combine(data, "leval-nq", "natural_question.jsonl")))
        {
            var item = JsonDocument.Parse(line).RootElement;
            var page = item.GetProperty("input").GetString()!;
            var questions = item.GetProperty("instructions").EnumerateArray().Select(q => q.GetString()!).ToList();
            var answers = item.GetProperty("outputs").EnumerateArray().Select(o => o.GetString()!).ToList();
            cases.AddRange(questions.Select((q, i) => (page, q, answers[i])).Take(quick ? 2 : int.MaxValue));
        }

        // Answers the page itself does not hold verbatim cannot be kept by any extractive method.
        var answerable = cases.Where(c => c.Page.Contains(c.Answer, StringComparison.OrdinalIgnoreCase)).ToList();
        var tokens = answerable.Select(c => c.Page).Distinct().Average(p => Cl100k.CountTokens(p));
        int[] ratios = [4, 10];
        say($"\n## Answer retention: L-Eval NQ (long pages)\n\n{answerable.Count} questions over {answerable.Select(c => c.Page).Distinct().Count()} pages of ~{tokens:F0} tokens each " +
            $"({cases.Count - answerable.Count} of {cases.Count} left out: their answer string is not in the page verbatim); the page is one context; kept = the answer string survives (case-insensitive).\n");
        say("| method | " + string.Join(" | ", ratios.Select(r => $"{r}x")) + " |");
        say("|---|" + string.Concat(ratios.Select(_ => "---|")));
        foreach (var method in Methods)
        {
            var row = new List<string>();
            foreach (var ratio in ratios)
            {
                var kept = 0;
                string? failure = null;
                foreach (var (page, question, answer) in answerable)
                {
                    try
                    {
                        var (prompt, _) = await CompressAsync(compressor, method, [page], question, 1.0 / ratio);
                        kept += prompt.Contains(answer, StringComparison.OrdinalIgnoreCase) ? 1 : 0;
                    }
                    catch (Exception e) when (e is Rag.Compression.CompressionRequestException or ArgumentException or InvalidOperationException)
                    {
                        failure = e.Message;
                        break;
                    }
                }

                row.Add(failure is null ? $"{(double)kept / answerable.Count:P0}" : $"n/a ({failure})");
            }

            say($"| {method} | {string.Join(" | ", row)} |");
        }
    }
}

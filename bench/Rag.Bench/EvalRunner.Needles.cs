namespace Rag.Bench;

/// <summary>Needle retention: the pass key hidden at depths of the haystack, by compression ratio (with the plot).</summary>
internal static partial class EvalRunner
{
    private static async Task<Dictionary<string, Dictionary<int, double>>> NeedlesAsync(PromptCompressor compressor, string data, bool quick, Action<string> say)
    {
        var haystack = Haystack(data);
        int[] lengths = quick ? [2048, 8192] : [2048, 4096, 8192, 16384];
        double[] depths = quick ? [0, 0.5, 1] : [0, 0.25, 0.5, 0.75, 1];
        int[] ratios = [2, 4, 10, 100];
        var kept = Methods.ToDictionary(m => m, _ => ratios.ToDictionary(r => r, _ => 0));
        var cases = 0;
        var random = new Random(5);
        foreach (var length in lengths)
        {
            foreach (var depth in depths)
            {
                var key = random.Next(10000, 99999).ToString(CultureInfo.InvariantCulture);
                var context = InsertNeedle(haystack, length, depth, $"The pass key is {key}. Remember it. {key} is the pass key.");
                cases++;
                foreach (var ratio in ratios)
                {
                    foreach (var method in Methods)
                    {
                        var prompt = (await CompressAsync(compressor, method, [context], PasskeyQuestion, 1.0 / ratio)).Prompt;
                        if (prompt.Contains(key, StringComparison.Ordinal))
                            kept[method][ratio]++;
                    }
                }
            }
        }

        say($"## Needle retention\n\nA pass key sentence in Pride and Prejudice, the standard prompt ending ('What is the pass key? The pass key is'), contexts {string.Join(", ", lengths.Select(l => $"{l / 1024}k"))} tokens, depths {string.Join(", ", depths.Select(d => $"{d:P0}"))}; kept = the key's digits are in the compressed prompt ({cases} cases per cell).\n");
        say("| method | " + string.Join(" | ", ratios.Select(r => $"{r}x")) + " |");
        say("|---|" + string.Concat(ratios.Select(_ => "---|")));
        var shares = new Dictionary<string, Dictionary<int, double>>();
        foreach (var method in Methods)
        {
            shares[method] = ratios.ToDictionary(r => r, r => (double)kept[method][r] / cases);
            say($"| {method} | " + string.Join(" | ", ratios.Select(r => $"{shares[method][r]:P0}")) + " |");
        }

        return shares;
    }

    private static string Haystack(string data)
    {
        var text = File.ReadAllText(Path.Combine(data, "niah-haystack", "pride_and_prejudice.txt"));
        var start = text.IndexOf("It is a truth universally acknowledged", StringComparison.Ordinal);
        var end = text.IndexOf("End of the Project Gutenberg", StringComparison.OrdinalIgnoreCase);
        return text[Math.Max(0, start)..(end > 0 ? end : text.Length)].Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    /// <summary>The first <paramref name="tokens"/> tokens of the haystack with the needle between sentences at the depth.</summary>
    private static string InsertNeedle(string haystack, int tokens, double depth, string needle)
    {
        var ids = Cl100k.EncodeToIds(haystack, tokens, out var normalized, out var consumed);
        var text = haystack[..consumed];
        var at = (int)(text.Length * depth);
        var sentenceEnd = text.IndexOf(". ", at, StringComparison.Ordinal);
        at = depth >= 1 || sentenceEnd < 0 ? text.Length : sentenceEnd + 2;
        return text[..at] + (at == text.Length ? " " : "") + needle + " " + text[at..];
    }

    private static void Plot(Dictionary<string, Dictionary<int, double>> needles, string path)
    {
        var plot = new ScottPlot.Plot();
        foreach (var (method, shares) in needles)
        {
            var line = plot.Add.Scatter(shares.Keys.Select(r => Math.Log10(r)).ToArray(), shares.Values.Select(v => v * 100).ToArray());
            line.LegendText = method;
        }

        plot.Title("Needle retention by compression ratio");
        plot.XLabel("ratio (log10: 2x, 4x, 10x, 100x)");
        plot.YLabel("needles kept (%)");
        plot.ShowLegend();
        plot.SavePng(path, 800, 500);
    }
}

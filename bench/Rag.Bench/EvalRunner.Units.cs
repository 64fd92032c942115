using Rag.Text;
namespace Rag.Bench;

internal static partial class EvalRunner
{
    /// <summary>
    /// How unit vectors are made, measured: a pass of the encoder per sentence (what ingestion stores) against
    /// late chunking (one pass over the whole passage, each sentence the mean of its tokens' states). Retention
    /// on the NQ 20-passage cases with coarse-to-fine ranking by those vectors, and the encoder's cost of making them.
    /// </summary>
    private static async Task UnitVectorsAsync(PromptCompressor compressor, OnnxEmbedder encoder, EncoderSimilarity fallback, string data, bool quick, Action<string> say)
    {
        int[] positions = [0, 4, 9, 14, 19];
        int[] ratios = [4, 10];
        var cases = await NqCasesAsync(data, quick ? 60 : 300, positions);
        var passages = cases.SelectMany(c => c.Context).Distinct().ToList();
        var spans = passages.ToDictionary(p => p, p => SentenceSplitter.Split(p).Select(s => (s.Start, s.End)).ToList());

        // A pass per sentence, batched as ingestion batches it.
        var perUnit = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var sentences = passages.SelectMany(p => spans[p].Select(s => p[s.Start..s.End])).Distinct().ToList();
        var clock = Stopwatch.StartNew();
        var vectors = await encoder.EmbedAsync(sentences, CancellationToken.None);
        var perUnitSeconds = clock.Elapsed.TotalSeconds;
        var perUnitTokens = vectors.Sum(v => (long)v.Tokens);
        for (var i = 0; i < sentences.Count; i++)
            perUnit[sentences[i]] = vectors[i].Vector;

        // Late chunking: one pass per passage (the passage is the chunk), pooled per sentence span.
        var late = new Dictionary<string, float[]>(StringComparer.Ordinal);
        clock.Restart();
        long lateTokens = 0;
        foreach (var passage in passages)
        {
            var pooled = encoder.EmbedSpansLate(passage, spans[passage]);
            lateTokens += encoder.Encode(passage, encoder.Config.DocumentPrefix).Ids.Length;
            for (var s = 0; s < pooled.Length; s++)
                late.TryAdd(passage[spans[passage][s].Start..spans[passage][s].End], pooled[s]);
        }

        var lateSeconds = clock.Elapsed.TotalSeconds;
        say($"\n## Unit vectors: a pass per sentence or late chunking\n\nThe NQ 20-passage cases ({cases.Count} questions, {passages.Count} distinct passages, {sentences.Count} sentences); each passage stands for a chunk. " +
            "coarse_to_fine ranks sentences by the stored vectors (`dense`: the cosine alone; `hybrid`: fused with BM25, the service's default); kept = an answer string survives. " +
            "Cost: the encoder's tokens and time to make the vectors of every passage (the chunk vectors themselves are one more pass of the passage tokens in the per-sentence case, none in the late one).\n");
        say("| unit vectors | dense 4x | dense 10x | hybrid 4x | hybrid 10x | encoder tokens | encoder time |");
        say("|---|---|---|---|---|---|---|");
        foreach (var (name, stored, tokens, seconds) in new[] { ("a pass per sentence (stored at ingestion)", perUnit, perUnitTokens, perUnitSeconds), ("late chunking (pooled from the passage's pass)", late, lateTokens, lateSeconds) })
        {
            var cells = new List<string>();
            foreach (var rank in new[] { RankMethod.Dense, RankMethod.Hybrid })
            {
                foreach (var ratio in ratios)
                {
                    var kept = 0;
                    foreach (var (context, question, answers, _) in cases)
                    {
                        var query = (await encoder.EmbedQueriesAsync([question], CancellationToken.None))[0].Vector;
                        var similarity = new StoredUnitSimilarity(
                            fallback, async (asked, ct) => (await encoder.EmbedQueriesAsync([asked], ct))[0].Vector, question, query, stored);
                        var result = await compressor.CompressAsync(
                            new CompressionRequest(context, null, question, 1.0 / ratio, null, CompressionMethod.CoarseToFine, RankMethod: rank), CancellationToken.None, null, similarity);
                        kept += answers.Any(a => result.CompressedPrompt.Contains(a, StringComparison.OrdinalIgnoreCase)) ? 1 : 0;
                    }

                    cells.Add($"{(double)kept / cases.Count:P0}");
                }
            }

            say(string.Create(CultureInfo.InvariantCulture, $"| {name} | {string.Join(" | ", cells)} | {tokens:N0} | {seconds:F1} s ({tokens / seconds:F0} tokens/s) |"));
        }
    }
}

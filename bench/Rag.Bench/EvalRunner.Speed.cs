namespace Rag.Bench;

/// <summary>Compression speed, and /ask's cost with and without compression.</summary>
internal static partial class EvalRunner
{
    private static async Task SpeedAsync(PromptCompressor compressor, OnnxDecoder decoder, OnnxEmbedder encoder, string data, Action<string> say)
    {
        say("\n## Speed\n");
        say("| measure | value |");
        say("|---|---|");
        var context = InsertNeedle(Haystack(data)[50_000..], 8192, 0.5, "The pass key is 55555. Remember it.");
        var origin = Cl100k.CountTokens(context);

        // Coarse-to-fine: cold (every sentence embedded), then the same text again (vectors kept per tenant).
        var coarse = new PromptCompressor(Cl100k, null, null, new SqliteSegmentCache(Path.Combine(Path.GetTempPath(), $"rag-speed-{Guid.NewGuid():N}.db")),
            new CompressorOptions(), new EncoderSimilarity(encoder, encoder.Config.SentenceDenseWeight ?? encoder.Config.HybridDenseWeight ?? 0.5));
        var coarseClock = Stopwatch.StartNew();
        await CompressAsync(coarse, "coarse_to_fine", [context], "What is the pass key?", 0.25);
        var cold = coarseClock.Elapsed.TotalSeconds;
        say($"| coarse_to_fine (hybrid), {origin} tokens of new text to 4x, first request | {origin / cold:F0} tokens/s ({cold * 1000:F0} ms) |");
        coarseClock.Restart();
        await CompressAsync(coarse, "coarse_to_fine", [context], "What is the pass key?", 0.25);
        var warm = coarseClock.Elapsed.TotalSeconds;
        say($"| coarse_to_fine, the same request again (sentence vectors kept) | {origin / warm:F0} tokens/s ({warm * 1000:F0} ms): {cold / warm:F0}x faster |");
        coarseClock.Restart();
        await CompressAsync(coarse, "coarse_to_fine", [context], "Where does Elizabeth live?", 0.1);
        var coarseQuestion = coarseClock.Elapsed.TotalSeconds;
        say($"| coarse_to_fine, same text, a new question at 10x | {coarseQuestion * 1000:F0} ms |");
        foreach (var method in (string[])["segment", "gemfilter", "longcodezip", "truncate"])
        {
            var fresh = new PromptCompressor(Cl100k, new DecoderPorts(decoder), new DecoderPorts(decoder),
                new SqliteSegmentCache(Path.Combine(Path.GetTempPath(), $"rag-speed-{Guid.NewGuid():N}.db")), new CompressorOptions());
            var clock = Stopwatch.StartNew();
            await CompressAsync(fresh, method, [context], "What is the pass key?", 0.25, method == "longcodezip" ? "text" : null);
            var first = clock.Elapsed.TotalSeconds;
            say($"| {method}, {origin} tokens to 4x, first request | {origin / first:F0} tokens/s ({first * 1000:F0} ms) |");
            if (method == "segment")
            {
                clock.Restart();
                await CompressAsync(fresh, method, [context], "What is the pass key?", 0.25);
                var again = clock.Elapsed.TotalSeconds;
                say($"| segment, the same request again: every segment from the cache | {again * 1000:F0} ms: {first / again:F0}x faster |");
                clock.Restart();
                await CompressAsync(fresh, method, [context], "What is the pass key?", 0.1);
                var otherRate = clock.Elapsed.TotalSeconds;
                say($"| segment, same text and question at another rate (10x) | {otherRate * 1000:F0} ms: {first / otherRate:F0}x faster |");
                clock.Restart();
                await CompressAsync(fresh, method, [context], "Where does Elizabeth live?", 0.25);
                var newQuestion = clock.Elapsed.TotalSeconds;
                say($"| segment, same text, a new question (the ranking pass runs again; word information from the cache) | {newQuestion * 1000:F0} ms |");
            }
        }

        await AskCostAsync(decoder, data, say);
    }

    /// <summary>/ask's cost with and without compression: the decoder's prefill of 8k tokens of context against compressing first.</summary>
    private static async Task AskCostAsync(OnnxDecoder decoder, string data, Action<string> say)
    {
        var question = "What is the pass key? The pass key is";
        var haystackIds = decoder.Encode(InsertNeedle(Haystack(data)[100_000..], 12000, 0.5, "The pass key is 31337. Remember it."), addBos: false);
        var context = decoder.Decode(haystackIds.Take(8000));
        var ports = new DecoderPorts(decoder);
        var compressor = new PromptCompressor(decoder.Tokenizer, ports, ports,
            new SqliteSegmentCache(Path.Combine(Path.GetTempPath(), $"rag-ask-{Guid.NewGuid():N}.db")), new CompressorOptions());

        var full = await GenerateAsync(decoder, context + "\n\n" + question);
        say($"| /ask at 8k tokens of context, no compression: prefill | {full.PrefillMs:F0} ms for {full.PromptTokens} tokens |");
        foreach (var method in (string[])["segment", "gemfilter"])
        {
            for (var round = 0; round < (method == "segment" ? 2 : 1); round++)
            {
                var clock = Stopwatch.StartNew();
                var compressed = await compressor.CompressAsync(new CompressionRequest([context], null, question, 0.25, null,
                    CompressionMethod.Parse(method)), CancellationToken.None, decoder.Tokenizer);
                var compressMs = clock.Elapsed.TotalMilliseconds;
                var small = await GenerateAsync(decoder, compressed.CompressedPrompt);
                var saved = full.PrefillMs - small.PrefillMs;
                say($"| /ask at 8k, {method} to 4x{(round == 1 ? ", segments cached" : "")}: compress + prefill | {compressMs:F0} ms + {small.PrefillMs:F0} ms = {compressMs + small.PrefillMs:F0} ms (prefill saved {saved:F0} ms, {(saved > compressMs ? "net gain" : "net loss")} {Math.Abs(saved - compressMs):F0} ms) |");
            }
        }
    }

    private static async Task<GenerationStats> GenerateAsync(OnnxDecoder decoder, string prompt)
    {
        GenerationStats? stats = null;
        await foreach (var chunk in decoder.GenerateAsync(decoder.Encode(prompt, addBos: true), new GenerationOptions(MaxTokens: 8), CancellationToken.None))
            stats = chunk.Stats ?? stats;
        return stats!;
    }
}

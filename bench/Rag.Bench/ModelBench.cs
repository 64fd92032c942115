using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rag.Engine.Models;
using Rag.Retrieval.Vectors;
using Rag.Storage.Embedded;

namespace Rag.Bench;

/// <summary>
/// The ONNX models and the vector index, in process: decoder prefill at 512, 2k and 8k tokens,
/// decode tokens/s, batched scoring, embedding chunks/s, exact vector search at 100k vectors.
/// Defaults to the fixture models in models/; point --decoder/--embedder at any model folder.
/// </summary>
internal static class ModelBench
{
    public static async Task RunAsync(string[] args)
    {
        var models = FindModels();
        var decoderPath = BenchArgs.Option(args, "--decoder") ?? Path.Combine(models, "tiny-decoder");
        var embedderPath = BenchArgs.Option(args, "--embedder") ?? Path.Combine(models, "tiny-embedder");
        var sessions = new OnnxSessions(Options.Create(new ModelOptions()), NullLogger<OnnxSessions>.Instance);
        using var decoder = OnnxDecoder.Load(decoderPath, sessions, new DecoderOptions());
        using var embedder = OnnxEmbedder.Load(embedderPath, sessions, new EmbedderOptions());
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, ONNX Runtime on {sessions.Device}");
        Console.WriteLine($"decoder {decoder.ModelId} ({decoder.Config.Layers} layers, width {decoder.Config.HiddenSize}, vocab {decoder.Config.VocabSize}); embedder {embedder.ModelId}");
        Console.WriteLine();
        Console.WriteLine("| measure | value |");
        Console.WriteLine("|---|---|");

        var text = string.Concat(Enumerable.Repeat("The keeper climbs the tower at dusk, trims the wick and winds the clockwork that turns the lens. ", 400));
        var ids = decoder.Encode(text, addBos: true);
        foreach (var wanted in new[] { 512, 2048, 8192 })
        {
            // The prompt and one generated token must fit the model's positions.
            var length = Math.Min(wanted, decoder.MaxPositions - 1);
            if (length < wanted / 2)
            {
                Console.WriteLine($"| decoder prefill, {wanted} tokens | n/a: the model takes {decoder.MaxPositions} positions |");
                continue;
            }

            var prompt = ids.Take(length).ToList();
            var runs = new List<double>();
            for (var i = 0; i < (length > 4096 ? 2 : 4); i++)
            {
                var stats = await Generate(decoder, prompt, 1);
                runs.Add(stats.PrefillMs);
            }

            var best = runs.Skip(1).Min();
            Console.WriteLine($"| decoder prefill, {length} tokens (KV cache written, chunks of 512) | {length / best * 1000:F0} tokens/s ({best:F0} ms) |");
        }

        var decodeStats = await Generate(decoder, ids.Take(512).ToList(), 128);
        Console.WriteLine($"| decoder decode after 512 tokens, greedy, {decodeStats.GeneratedTokens} tokens | {decodeStats.GeneratedTokens / decodeStats.DecodeMs * 1000:F0} tokens/s ({decodeStats.DecodeMs / decodeStats.GeneratedTokens:F1} ms/token) |");

        var sequences = Enumerable.Range(0, 16).Select(i => (IReadOnlyList<int>)ids.Skip(i * 7).Take(512).ToList()).ToList();
        await decoder.ScoreAsync(sequences.Take(2).ToList(), CancellationToken.None);
        var scoring = Stopwatch.StartNew();
        await Task.WhenAll(sequences.Select(s => decoder.ScoreAsync([s], CancellationToken.None)));
        Console.WriteLine($"| decoder scoring (token NLL), 16 concurrent requests of 512 tokens, batched | {16 * 512 / scoring.Elapsed.TotalSeconds:F0} tokens/s |");

        var chunkText = string.Concat(Enumerable.Repeat("def read_config(path):\n    with open(path) as handle:\n        return parse(handle.read())\n", 6));
        var chunks = Enumerable.Range(0, 256).Select(i => $"# chunk {i}\n{chunkText}").ToList();
        var chunkTokens = embedder.Tokenizer.CountTokens(chunks[0]);
        await embedder.EmbedAsync(chunks.Take(16).ToList(), CancellationToken.None);
        var embedding = Stopwatch.StartNew();
        await embedder.EmbedAsync(chunks, CancellationToken.None);
        Console.WriteLine($"| embedding, {chunks.Count} chunks of {chunkTokens} tokens, batches of 32 | {chunks.Count / embedding.Elapsed.TotalSeconds:F0} chunks/s |");

        foreach (var dimensions in new[] { embedder.Dimensions, 384, 768 })
            await VectorSearch(dimensions);
    }

    private static async Task VectorSearch(int dimensions)
    {
        var folder = Path.Combine(Path.GetTempPath(), "rag-bench-vectors", Guid.NewGuid().ToString("N"));
        var index = EmbeddedVectorIndex.Open(folder);
        var random = new Random(17);
        for (var d = 0; d < 100; d++)
        {
            var vectors = Enumerable.Range(0, 1000).Select(c => new ChunkVector(c, Unit(random, dimensions))).ToList();
            await index.UpsertAsync("bench", $"doc{d}", d % 2 == 0 ? ["even"] : [], "bench@1", vectors, CancellationToken.None);
        }

        var latencies = SearchLatencies(index, random, dimensions);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| exact vector search, {index.Count:N0} vectors of {dimensions} dimensions, top 10 | p50 {latencies[499]:F2} ms, p99 {latencies[989]:F2} ms |"));
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>1,000 exact top-10 searches for random unit vectors after 50 to warm up: each one's milliseconds, sorted.</summary>
    internal static double[] SearchLatencies(EmbeddedVectorIndex index, Random random, int dimensions)
    {
        var latencies = new double[1000];
        for (var i = 0; i < 50; i++)
            index.Search("bench", Unit(random, dimensions), "bench@1", 10, null);
        for (var i = 0; i < latencies.Length; i++)
        {
            var query = Unit(random, dimensions);
            var started = Stopwatch.GetTimestamp();
            index.Search("bench", query, "bench@1", 10, null);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(latencies);
        return latencies;
    }

    private static async Task<GenerationStats> Generate(OnnxDecoder decoder, IReadOnlyList<int> prompt, int maxTokens)
    {
        GenerationStats? stats = null;
        await foreach (var chunk in decoder.GenerateAsync(prompt, new GenerationOptions(MaxTokens: maxTokens), CancellationToken.None))
            stats = chunk.Stats ?? stats;
        return stats!;
    }

    internal static float[] Unit(Random random, int dimensions)
    {
        var vector = new float[dimensions];
        for (var i = 0; i < dimensions; i++)
            vector[i] = (float)((random.NextDouble() * 2) - 1);
        TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
        return vector;
    }

    private static string FindModels()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "models", "tiny-decoder");
            if (Directory.Exists(candidate))
                return Path.GetDirectoryName(candidate)!;
        }

        throw new DirectoryNotFoundException("models/ not found above the bench's folder; pass --decoder and --embedder.");
    }
}

using System.Diagnostics;
using System.Globalization;
using Rag.Retrieval.Vectors;
using Rag.Storage.Embedded;

namespace Rag.Bench;

/// <summary>
/// The embedded vector index by size: exact top-10 search over 10k, 100k and 1M random unit vectors of 384
/// dimensions (arctic-embed-xs's width) in one collection, 1,000 queries each after 50 to warm up — where exact search
/// stops being enough. Synthetic vectors: this measures the index alone, not recall.
///
///   dotnet bench/Rag.Bench/bin/Release/net10.0/Rag.Bench.dll vectors [--sizes 10000,100000,1000000] [--dimensions 384]
/// </summary>
internal static class VectorBench
{
    public static async Task RunAsync(string[] args)
    {
        var sizes = (BenchArgs.Option(args, "--sizes") ?? "10000,100000,1000000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture));
        var dimensions = int.Parse(BenchArgs.Option(args, "--dimensions") ?? "384", CultureInfo.InvariantCulture);
        Console.WriteLine($"{Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}\n");
        Console.WriteLine("| vectors | dimensions | p50 ms | p99 ms | loaded in |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var size in sizes)
        {
            var folder = Path.Combine(Path.GetTempPath(), "rag-bench-vectors", Guid.NewGuid().ToString("N"));
            var index = EmbeddedVectorIndex.Open(folder);
            var random = new Random(17);
            var clock = Stopwatch.StartNew();
            const int perDocument = 1000;
            for (var d = 0; d < size / perDocument; d++)
            {
                var vectors = Enumerable.Range(0, perDocument).Select(c => new ChunkVector(c, ModelBench.Unit(random, dimensions))).ToList();
                await index.UpsertAsync("bench", $"doc{d}", [], "bench@1", vectors, CancellationToken.None);
            }

            var loaded = clock.Elapsed;
            var latencies = ModelBench.SearchLatencies(index, random, dimensions);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {index.Count:N0} | {dimensions} | {latencies[499]:F2} | {latencies[989]:F2} | {loaded.TotalSeconds:F0} s |"));
            Directory.Delete(folder, recursive: true);
        }
    }
}

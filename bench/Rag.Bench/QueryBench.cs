using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rag.Engine.Models;
using Rag.Engine.Models.BuiltIn;

namespace Rag.Bench;

/// <summary>
/// Query embeddings under concurrency: distinct NQ questions, each caller asking for one query vector at a time as a
/// search does, by <c>Rag:Models:Embedder:QueryBatchSize</c> and number of callers — queries/s, how many queries
/// shared a pass, and each query's latency. The encoder alone (no index, no HTTP): the ceiling the query path has.
///
///   dotnet run -c Release --project bench/Rag.Bench -- queries [--encoder arctic-embed-xs] [--questions 960]
/// </summary>
internal static class QueryBench
{
    public static async Task RunAsync(string[] args)
    {
        var name = BenchArgs.Option(args, "--encoder") ?? "arctic-embed-xs";
        var count = int.Parse(BenchArgs.Option(args, "--questions") ?? "960", CultureInfo.InvariantCulture);
        var questions = Questions().Distinct(StringComparer.Ordinal).ToList();
        var folder = BuiltInModelFolders.Ensure(BuiltInEncoders.Find(name)!, Path.Combine(Path.GetTempPath(), "rag-bench-models"));
        var sessions = new OnnxSessions(Options.Create(new ModelOptions()), NullLogger<OnnxSessions>.Instance);
        Console.WriteLine($"{name}, {Environment.ProcessorCount} cores, fp32, {count} distinct NQ questions per row, {DateTime.UtcNow:yyyy-MM-dd}\n");
        Console.WriteLine("| query batch | callers | queries/s | queries per pass | tokens per query | p50 ms | p99 ms |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        var offset = 0;
        foreach (var batch in new[] { 8, 32, 64 })
        {
            using var embedder = OnnxEmbedder.Load(folder, sessions, new EmbedderOptions { QueryBatchSize = batch });
            await embedder.EmbedQueriesAsync(questions.Take(batch).ToList(), CancellationToken.None); // warm up
            foreach (var callers in new[] { 1, 8, 32, 64 })
            {
                // Each row its own questions (wrapping round the set when it runs out).
                var mine = Enumerable.Range(0, count).Select(i => questions[(offset + i) % questions.Count]).ToList();
                offset += count;
                var latencies = new double[count];
                var next = -1;
                var passes = embedder.BatchesRun;
                var tokens = embedder.TokensEmbedded;
                var clock = Stopwatch.StartNew();
                await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
                {
                    int i;
                    while ((i = Interlocked.Increment(ref next)) < count)
                    {
                        var started = Stopwatch.GetTimestamp();
                        await embedder.EmbedQueriesAsync([mine[i]], CancellationToken.None);
                        latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    }
                })));
                var seconds = clock.Elapsed.TotalSeconds;
                Array.Sort(latencies);
                var runs = embedder.BatchesRun - passes;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {batch} | {callers} | {count / seconds:F0} | {(double)count / runs:F1} | {(double)(embedder.TokensEmbedded - tokens) / count:F1} | {latencies[count / 2]:F1} | {latencies[(int)(count * 0.99)]:F1} |"));
            }
        }
    }

    private static IEnumerable<string> Questions()
    {
        using var file = File.OpenRead(Path.Combine(BenchArgs.Data(), "nq-lost-in-the-middle", "nq-open-oracle.jsonl.gz"));
        using var reader = new StreamReader(new GZipStream(file, CompressionMode.Decompress));
        while (reader.ReadLine() is { } line)
        {
            using var json = JsonDocument.Parse(line);
            yield return json.RootElement.GetProperty("question").GetString()!;
        }
    }
}

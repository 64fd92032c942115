using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rag.Engine.Models;
using Rag.Engine.Models.BuiltIn;

namespace Rag.Bench;

/// <summary>
/// The built-in encoders' throughput on this machine: tokens/s and chunks/s for short (~128-token)
/// and long (~480-token) passages of real prose, by ONNX Runtime thread count and batch size — the
/// measurements behind the defaults (Rag:Models:Threads, Rag:Models:Embedder:BatchSize).
///
///   dotnet run -c Release --project bench/Rag.Bench -- encoders [--encoders arctic-embed-xs,all-minilm-l6-v2]
/// </summary>
internal static partial class EncoderBench
{
    public static async Task RunAsync(string[] args)
    {
        var names = (BenchArgs.Option(args, "--encoders") ?? "arctic-embed-xs,all-minilm-l6-v2").Split(',');
        var prose = Regex.Replace(File.ReadAllText(Path.Combine(BenchArgs.Data(), "niah-haystack", "pride_and_prejudice.txt")), @"\s+", " ");
        var words = prose.Split(' ');
        Console.WriteLine($"{Environment.ProcessorCount} cores, ONNX Runtime fp32 on the CPU, {DateTime.UtcNow:yyyy-MM-dd}\n");
        Console.WriteLine("| encoder | passages | threads | batch | tokens/s | chunks/s |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var name in names)
        {
            var folder = BuiltInModelFolders.Ensure(BuiltInEncoders.Find(name)!, Path.Combine(Path.GetTempPath(), "rag-bench-models"));
            foreach (var threads in new[] { 1, Environment.ProcessorCount })
            {
                var sessions = new OnnxSessions(Options.Create(new ModelOptions { Threads = threads }), NullLogger<OnnxSessions>.Instance);
                foreach (var (label, wordsPerPassage) in new[] { ("~128 tokens", 95), ("~480 tokens", 360) })
                {
                    var passages = Enumerable.Range(0, 128).Select(i => string.Join(' ', words.Skip(5000 + (i * wordsPerPassage)).Take(wordsPerPassage))).ToList();
                    foreach (var batch in new[] { 8, 32 })
                    {
                        using var embedder = OnnxEmbedder.Load(folder, sessions, new EmbedderOptions { BatchSize = batch });
                        var tokens = passages.Sum(p => embedder.Encode(p, "").Ids.Length);
                        await embedder.EmbedAsync(passages.Take(batch).ToList(), CancellationToken.None); // warm up
                        var clock = Stopwatch.StartNew();
                        await embedder.EmbedAsync(passages, CancellationToken.None);
                        var seconds = clock.Elapsed.TotalSeconds;
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"| {name} | {label} ({tokens / passages.Count} avg) | {threads} | {batch} | {tokens / seconds:F0} | {passages.Count / seconds:F1} |"));
                    }
                }
            }
        }
    }
}

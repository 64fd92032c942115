using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rag.Hosting;
using Rag.Engine;
using Rag.Engine.Answers;
using Rag.Engine.Documents;
using Rag.Engine.Ingestion;
using Rag.Retrieval.Parsing;

namespace Rag.Bench;

internal static partial class EvalRunner
{
    /// <summary>
    /// /ask over ~8k tokens of ingested context, as the service runs it in process (embedded storage, the
    /// default encoder, the fixture decoder generating): every chunk of the document is retrieved, then
    /// either given to the decoder whole or compressed with coarse-to-fine to 4x and 10x. Time to first
    /// token and query-time compression, p50 over distinct questions, each asked once; with unit vectors
    /// stored at ingestion (the default) and without (the first question embeds every sentence).
    /// </summary>
    private static async Task AskLatencyAsync(string data, bool quick, Action<string> say)
    {
        var text = Haystack(data)[200_000..];
        var cut = 0;
        // ~8k cl100k tokens that also fit the fixture decoder's 8,192 positions whole, with the question and template.
        while (Cl100k.CountTokens(text[..cut]) < 6_000)
            cut += 2_000;
        text = text[..cut];
        var contextTokens = Cl100k.CountTokens(text);
        var words = Words().Matches(text).Select(m => m.Value).Where(w => w.Length > 6).Distinct().Skip(5).Take(quick ? 6 : 24).ToList();
        var questions = words.Select(w => $"What does the story say about {w.ToLowerInvariant()}?").ToList();
        say($"\n## /ask latency over ingested context\n\nOne document of {contextTokens} tokens (cl100k), every chunk retrieved (top_k = all), the fixture decoder generating 8 tokens; " +
            $"{questions.Count} distinct questions, each asked once; p50 (p90). Time to first token = retrieve + select + compress + prefill + first decode step. " +
            "`compress` is the query-time compression alone.\n");
        say("| unit vectors at ingestion | context to the decoder | time to first token | compress | cl100k tokens: retrieved → compressed | decoder prompt tokens |");
        say("|---|---|---|---|---|---|");
        foreach (var units in new[] { true, false })
        {
            var dataPath = Directory.CreateTempSubdirectory("rag-ask-").FullName;
            var settings = new Dictionary<string, string?>
            {
                ["Rag:DataPath"] = dataPath,
                ["Rag:Models:BuiltInPath"] = Path.Combine(Path.GetTempPath(), "rag-bench-models"),
                ["Rag:Models:Decoder:Path"] = Path.Combine(BenchArgs.Root(), "models", "tiny-decoder"),
                ["Rag:Ingestion:UnitVectors"] = units ? "true" : "false",
                ["Rag:Generation:MaxTokens"] = "8",
            };
            var services = new ServiceCollection().AddLogging();
            services.AddRag(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
            var queue = new InlineQueue();
            services.AddSingleton<IIngestionQueue>(queue);
            await using (var provider = services.BuildServiceProvider())
            {
                var (record, _) = await provider.GetRequiredService<DocumentService>().AddAsync(
                    new DocumentUpload("ask", Encoding.UTF8.GetBytes(text), new DocumentKind(DocumentFormat.Text), "story.txt", null, []), CancellationToken.None);
                var pipeline = provider.GetRequiredService<IngestionPipeline>();
                while (queue.TryTake(out var item))
                    await pipeline.RunAsync(item.Collection, item.DocumentId, CancellationToken.None);
                var chunks = (await provider.GetRequiredService<Rag.Retrieval.Stores.IDocumentStore>().GetDocumentChunksAsync("ask", record.Id, CancellationToken.None)).Count;
                var ask = provider.GetRequiredService<AskService>();
                foreach (var rate in units ? new double[] { 1.0, 0.25, 0.1 } : [0.1])
                {
                    var firstToken = new List<double>();
                    var compress = new List<double>();
                    var prompt = new List<double>();
                    var sizes = "";
                    foreach (var question in units ? questions : questions.Take(1))
                    {
                        var clock = Stopwatch.StartNew();
                        double? first = null;
                        AskResult? result = null;
                        await foreach (var step in ask.StreamAsync("ask", new AskQuery(question, chunks, contextTokens,
                            [], Compression: new AskCompression(CompressionMethod.CoarseToFine, Rate: rate)), CancellationToken.None))
                        {
                            first ??= step.Text is not null ? clock.Elapsed.TotalMilliseconds : null;
                            result = step.Result ?? result;
                        }

                        firstToken.Add(first ?? clock.Elapsed.TotalMilliseconds);
                        compress.Add(result!.Figures.TimingsMs.GetValueOrDefault("compress"));
                        prompt.Add(result.Figures.Generation?.PromptTokens ?? 0);
                        sizes = result.Figures.Compression is { } c ? $"{c.OriginTokens} → {c.CompressedTokens}" : "";
                    }

                    var what = rate >= 1 ? "all of it (no compression)" : $"coarse_to_fine to {1 / rate:F0}x";
                    var label = units ? "yes (default)" : "no: first question embeds every sentence";
                    say(string.Create(CultureInfo.InvariantCulture,
                        $"| {label} | {what} | {Percentile(firstToken, 0.5):F0} ms ({Percentile(firstToken, 0.9):F0}) | {Percentile(compress, 0.5):F1} ms ({Percentile(compress, 0.9):F1}) | {sizes} | {Percentile(prompt, 0.5):F0} |"));
                }
            }

            Directory.Delete(dataPath, recursive: true);
        }
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * p))];
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\b[A-Za-z]+\b")]
    private static partial System.Text.RegularExpressions.Regex Words();
}

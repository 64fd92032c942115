using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Rag.Engine.Documents;
using Rag.Engine.Ingestion;
using Rag.Retrieval.Parsing;
using Rag.Text;

namespace Rag.Bench;

/// <summary>
/// Documents per second through a running service: the 2,655 NQ passages (~150 tokens each) uploaded one
/// request each (N at a time) and by batch (documents:batch, JSON lines), each into a fresh collection, timed
/// from the first request until every document is ready or failed.
///
///   dotnet run -c Release --project bench/Rag.Bench -- ingest [--url http://127.0.0.1:8080] [--key KEY]
///       [--modes single,batch] [--concurrency 8] [--batch 1000] [--documents N]
/// </summary>
internal static class IngestBench
{
    private const string Usage = "ingest [--url URL] [--key KEY] [--modes single,batch] [--concurrency N] [--batch N] [--documents N] | ingest --steps [--documents N] [--postgres CS] | ingest --encoder [--documents N] [--group 32]";

    public static async Task RunAsync(string[] args)
    {
        BenchArgs.Check(args[1..], ["--url", "--key", "--modes", "--concurrency", "--batch", "--documents", "--postgres", "--group"], ["--steps", "--encoder"], Usage);
        if (BenchArgs.Flag(args, "--steps"))
        {
            await StepsAsync(BenchArgs.Int(args, "--documents", 500), BenchArgs.Option(args, "--postgres"));
            return;
        }

        if (BenchArgs.Flag(args, "--encoder"))
        {
            await EncoderBoundAsync(BenchArgs.Int(args, "--documents", 600), BenchArgs.Int(args, "--group", 32));
            return;
        }

        var url = BenchArgs.Option(args, "--url") ?? "http://127.0.0.1:8080";
        var key = BenchArgs.Option(args, "--key");
        var concurrency = BenchArgs.Int(args, "--concurrency", 8);
        var batchSize = BenchArgs.Int(args, "--batch", 1000);
        var passages = RetrievalBench.NqPassages().Values.Distinct(StringComparer.Ordinal).ToList();
        passages = [.. passages.Take(BenchArgs.Int(args, "--documents", passages.Count))];
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
        if (key is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        Console.WriteLine($"{passages.Count} NQ passages, {passages.Sum(p => Encoding.UTF8.GetByteCount(p)) / 1024.0 / 1024:0.00} MB, to {url}");
        Console.WriteLine("| mode | uploaded in | all ready in | documents/s |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var mode in (BenchArgs.Option(args, "--modes") ?? "single,batch").Split(','))
        {
            var collection = $"ingest-{mode}-{DateTime.UtcNow:HHmmss}";
            var clock = Stopwatch.StartNew();
            if (mode == "single")
                await SingleAsync(http, collection, passages, concurrency);
            else if (mode == "batch")
                await BatchAsync(http, collection, passages, batchSize);
            else
                throw new ArgumentException($"Unknown mode {mode}: single or batch.");
            var uploaded = clock.Elapsed;
            var ready = await WaitAllFinalAsync(http, collection, passages.Count);
            var total = clock.Elapsed;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {(mode == "single" ? $"single, {concurrency} at a time" : $"batch of {batchSize}")} | {uploaded.TotalSeconds:0.0} s | {total.TotalSeconds:0.0} s ({ready} ready) | {passages.Count / total.TotalSeconds:0} |"));
        }
    }

    /// <summary>
    /// Where one small document's ingestion time goes, in process on the embedded store, one at a time (no
    /// encoder): the pipeline's own spans (parse, chunk, index) and the rest (the store's transactions, locks).
    /// </summary>
    private static async Task StepsAsync(int count, string? postgres)
    {
        if (postgres is not null)
            await Rag.Storage.Postgres.PostgresSchema.MigrateAsync(postgres, CancellationToken.None);
        var (built, queue) = BenchEngine.Build(new()
        {
            ["Rag:DataPath"] = Path.Combine(Path.GetTempPath(), "rag-bench", Guid.NewGuid().ToString("N")),
            ["Rag:Models:Embedder:Name"] = "none",
            ["Rag:Models:Scorer:Name"] = "none",
            ["Rag:Storage:Documents"] = postgres is null ? "Embedded" : "Postgres",
            ["Rag:Storage:Postgres:ConnectionString"] = postgres,
        });
        await using var provider = built;
        T Get<T>() where T : notnull => provider.GetRequiredService<T>();
        var documents = Get<DocumentService>();
        var pipeline = Get<IngestionPipeline>();

        var spans = new Dictionary<string, double>(StringComparer.Ordinal);
        long commands = 0; // PostgreSQL commands (each a round trip; a command may hold several statements)
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is Rag.Contracts.RagTracing.SourceName or "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a =>
            {
                if (a.Source.Name == "Npgsql")
                {
                    Interlocked.Increment(ref commands);
                    return;
                }

                lock (spans)
                    spans[a.OperationName] = spans.GetValueOrDefault(a.OperationName) + a.Duration.TotalMilliseconds;
            },
        };
        ActivitySource.AddActivityListener(listener);

        var passages = RetrievalBench.NqPassages().Values.Distinct(StringComparer.Ordinal).Take((2 * count) + 20).ToList();
        static DocumentUpload Upload(string collection, string text) =>
            new(collection, Encoding.UTF8.GetBytes(text), new DocumentKind(DocumentFormat.Text), null, null, []);

        // One at a time: upload, then the whole pipeline for it (one lexical commit per document).
        async Task<double> OneAtATimeAsync(IEnumerable<string> texts)
        {
            var clock = Stopwatch.StartNew();
            foreach (var text in texts)
            {
                await documents.AddAsync(Upload("steps", text), CancellationToken.None);
                while (queue.TryTake(out var item))
                    await pipeline.RunAsync(item.Collection, item.DocumentId, CancellationToken.None);
            }

            return clock.Elapsed.TotalMilliseconds;
        }

        // By batch: upload in one call, then groups of 32 (one lexical commit per group), as the batch endpoint's jobs do.
        async Task<double> GroupedAsync(IReadOnlyList<string> texts)
        {
            var clock = Stopwatch.StartNew();
            await documents.AddManyAsync("grouped", [.. texts.Select(t => Upload("grouped", t))], CancellationToken.None);
            var ids = new List<string>();
            while (queue.TryTake(out var item))
                ids.Add(item.DocumentId);
            foreach (var group in ids.Chunk(32))
                await pipeline.RunGroupAsync("grouped", group, CancellationToken.None);
            return clock.Elapsed.TotalMilliseconds;
        }

        await OneAtATimeAsync(passages.Take(20)); // warm-up
        lock (spans)
            spans.Clear();
        Interlocked.Exchange(ref commands, 0);
        var total = await OneAtATimeAsync(passages.Skip(20).Take(count));
        var singleCommands = Interlocked.Exchange(ref commands, 0);
        Dictionary<string, double> single;
        lock (spans)
        {
            single = new Dictionary<string, double>(spans, StringComparer.Ordinal);
            spans.Clear();
        }

        var grouped = await GroupedAsync([.. passages.Skip(20 + count).Take(count)]);
        var groupedCommands = Interlocked.Read(ref commands);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{count} NQ passages, in process, {(postgres is null ? "embedded store" : "PostgreSQL")}, no encoder: one at a time {count / (total / 1000):0} documents/s; by batch, groups of 32, {count / (grouped / 1000):0} documents/s"));
        if (postgres is not null)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"PostgreSQL commands per document (upload + ingestion; each a round trip, transaction commits included where Npgsql traces them): one at a time {(double)singleCommands / count:0.0}, by batch {(double)groupedCommands / count:0.00}"));
        Console.WriteLine("| step | one at a time, ms per document | by batch, ms per document |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| upload (store the bytes) + ingestion, all | {total / count:0.00} | {grouped / count:0.00} |"));
        foreach (var name in single.Keys.Union(spans.Keys).Order(StringComparer.Ordinal))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {single.GetValueOrDefault(name) / count:0.00} | {spans.GetValueOrDefault(name) / count:0.00} |"));
        double Rest(Dictionary<string, double> measured, double all) => (all - new[] { "rag.ingest.parse", "rag.ingest.chunk", "rag.ingest.index" }.Sum(measured.GetValueOrDefault)) / count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| everything else (store writes, locks, upload) | {Rest(single, total):0.00} | {Rest(spans, grouped):0.00} |"));
    }

    /// <summary>
    /// Whether ingestion with the default encoder is bound by the encoder: in process, embedded store, the
    /// encoder's tokens/s when it is handed the passages' chunks (with their sentence spans) as one request,
    /// next to its tokens/s and busy share while the pipeline ingests the same number of passages by batch
    /// (groups of 32, or --group) and one at a time; and the machine's fp32 limit estimate (FLOPs per token from the
    /// encoder's shape x ONNX Runtime's measured matrix-multiply GFLOP/s).
    /// </summary>
    private static async Task EncoderBoundAsync(int count, int group)
    {
        var (built, queue) = BenchEngine.Build(new()
        {
            ["Rag:DataPath"] = Path.Combine(Path.GetTempPath(), "rag-bench", Guid.NewGuid().ToString("N")),
            ["Rag:Models:BuiltInPath"] = Path.Combine(Path.GetTempPath(), "rag-bench-models"),
            ["Rag:Models:Scorer:Name"] = "none",
        });
        await using var provider = built;
        T Get<T>() where T : notnull => provider.GetRequiredService<T>();
        var documents = Get<DocumentService>();
        var pipeline = Get<IngestionPipeline>();
        var encoder = (Rag.Engine.Models.OnnxEmbedder)Get<Rag.Retrieval.Vectors.ITextEmbedder>();
        var chunker = Get<Rag.Retrieval.Chunking.DocumentChunker>();
        var passages = RetrievalBench.NqPassages().Values.Distinct(StringComparer.Ordinal).Take((3 * count) + 20).ToList();
        static DocumentUpload Upload(string collection, string text) =>
            new(collection, Encoding.UTF8.GetBytes(text), new DocumentKind(DocumentFormat.Text), null, null, []);

        async Task GroupedAsync(string collection, IReadOnlyList<string> texts)
        {
            await documents.AddManyAsync(collection, [.. texts.Select(t => Upload(collection, t))], CancellationToken.None);
            var ids = new List<string>();
            while (queue.TryTake(out var item))
                ids.Add(item.DocumentId);
            foreach (var members in ids.Chunk(group))
                await pipeline.RunGroupAsync(collection, members, CancellationToken.None);
        }

        async Task OneAtATimeAsync(string collection, IEnumerable<string> texts)
        {
            foreach (var text in texts)
            {
                await documents.AddAsync(Upload(collection, text), CancellationToken.None);
                while (queue.TryTake(out var item))
                    await pipeline.RunAsync(item.Collection, item.DocumentId, CancellationToken.None);
            }
        }

        async Task<(double Seconds, long Tokens, double Busy)> MeasureAsync(Func<Task> work)
        {
            var (tokens, busy) = (encoder.TokensEmbedded, encoder.BusyTime);
            var clock = Stopwatch.StartNew();
            await work();
            return (clock.Elapsed.TotalSeconds, encoder.TokensEmbedded - tokens, (encoder.BusyTime - busy).TotalSeconds);
        }

        await GroupedAsync("warm-up", passages[..20]);

        // The encoder alone, handed exactly what ingestion asks of it (each chunk with its sentence spans) in one request.
        var chunks = passages.Skip(20).Take(count)
            .SelectMany(p => chunker.Chunk(new ParsedDocument(p, new DocumentKind(DocumentFormat.Text))).Select(c => c.Text)).ToList();
        var spans = chunks.Select(c => (IReadOnlyList<(int, int)>)[.. Rag.Text.SentenceSplitter.Split(c).Select(u => (u.Start, u.End))]).ToList();
        var alone = await MeasureAsync(() => encoder.EmbedWithSpansAsync(chunks, spans, CancellationToken.None));
        var grouped = await MeasureAsync(() => GroupedAsync("grouped", passages.Skip(20 + count).Take(count).ToList()));
        var single = await MeasureAsync(() => OneAtATimeAsync("single", passages.Skip(20 + (2 * count)).Take(count)));

        var config = encoder.Config;
        var hidden = config.HiddenSize;
        var intermediate = (int?)config.Json["intermediate_size"] ?? (4 * hidden);
        var averageLength = (double)alone.Tokens / chunks.Count;
        var flopsPerToken = config.Layers * ((8.0 * hidden * hidden) + (4.0 * hidden * intermediate) + (4.0 * averageLength * hidden));
        var gflops = MatMulProbe.GigaflopsPerSecond();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{count} NQ passages per run, in process, embedded store, encoder {encoder.ModelId} (fp32, {Environment.ProcessorCount} threads, batch {Get<Microsoft.Extensions.Options.IOptions<Rag.Engine.Configuration.RagOptions>>().Value.Models.Embedder.BatchSize}), {averageLength:0} encoder tokens per chunk"));
        Console.WriteLine("| run | documents/s | encoder tokens/s | share of the encoder's own tokens/s | time in the encoder |");
        Console.WriteLine("|---|---|---|---|---|");
        var own = alone.Tokens / alone.Seconds;
        foreach (var (label, run) in new[] { ("encoder alone (one request)", alone), ($"ingestion by batch (groups of {group})", grouped), ("ingestion one at a time", single) })
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {(label.StartsWith("encoder", StringComparison.Ordinal) ? "–" : (count / run.Seconds).ToString("0", CultureInfo.InvariantCulture))} | {run.Tokens / run.Seconds:0} | {run.Tokens / run.Seconds / own:P0} | {run.Busy / run.Seconds:P0} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fp32 limit estimate: {flopsPerToken / 1e6:0.0} MFLOP per token ({config.Layers} layers, hidden {hidden}, feed-forward {intermediate}, {averageLength:0} tokens) x {gflops:0} GFLOP/s (ONNX Runtime MatMul 1024x1024, {Environment.ProcessorCount} threads) = {gflops * 1e9 / flopsPerToken:0} tokens/s; the encoder alone reaches {own / (gflops * 1e9 / flopsPerToken):P0} of it"));
    }

    private static async Task SingleAsync(HttpClient http, string collection, List<string> passages, int concurrency)
    {
        using var gate = new SemaphoreSlim(concurrency);
        await Task.WhenAll(passages.Select(async (text, i) =>
        {
            await gate.WaitAsync();
            try
            {
                using var response = await http.PostAsJsonAsync($"v1/collections/{collection}/documents", new { text, title = $"p{i}" });
                response.EnsureSuccessStatusCode();
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    private static async Task BatchAsync(HttpClient http, string collection, List<string> passages, int batchSize)
    {
        var number = 0;
        foreach (var batch in passages.Chunk(batchSize))
        {
            var lines = new StringBuilder();
            foreach (var text in batch)
                lines.Append(JsonSerializer.Serialize(new { text, title = $"p{number++}" })).Append('\n');
            using var response = await http.PostAsync($"v1/collections/{collection}/documents:batch", new StringContent(lines.ToString(), Encoding.UTF8, "application/x-ndjson"));
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>Pages through the collection until every document is ready or failed; returns how many are ready.</summary>
    private static async Task<int> WaitAllFinalAsync(HttpClient http, string collection, int expected)
    {
        while (true)
        {
            int final = 0, ready = 0, seen = 0;
            string? after = null;
            do
            {
                var page = JsonNode.Parse(await http.GetStringAsync($"v1/collections/{collection}/documents?limit=1000" + (after is null ? "" : $"&after={after}")))!;
                foreach (var document in page["documents"]!.AsArray())
                {
                    seen++;
                    var state = document!["state"]!.GetValue<string>();
                    final += state is "ready" or "failed" ? 1 : 0;
                    ready += state == "ready" ? 1 : 0;
                }

                after = page["next_after"]?.GetValue<string>();
            }
            while (after is not null);

            if (seen >= expected && final == seen)
                return ready;
            await Task.Delay(200);
        }
    }
}

using Rag.Bench;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rag.Hosting;
using Rag.Engine;
using Rag.Engine.Documents;
using Rag.Engine.Ingestion;
using Rag.Engine.Search;
using Rag.Retrieval.Parsing;
using Rag.Storage.Postgres;

// Ingestion throughput (Markdown: parse + chunk + store + BM25 index) and search latency over a
// collection of at least 10,000 chunks, on the embedded default, in process.
//
//   dotnet run -c Release --project bench/Rag.Bench -- [--copies N] [--queries N] [--text PATH]
//
// The corpus is a public-domain novel turned into Markdown (one "##" section per chapter), copied
// N times with a distinct first line so each copy is its own document. Without --text it uses
// ../shared/data/niah-haystack/pride_and_prejudice.txt when present, else generated prose.
// With --embedder FOLDER, ingestion also embeds every chunk (and search is hybrid).
// With --postgres CONNECTION-STRING, documents, chunks and the full-text index live in that
// PostgreSQL database (migrated first) instead of SQLite + Lucene.Net: the same measurements
// for the server deployment's store.
//
//   dotnet run -c Release --project bench/Rag.Bench -- models [--decoder FOLDER] [--embedder FOLDER]
//
// measures the ONNX models instead: see ModelBench.cs.
//
//   dotnet run -c Release --project bench/Rag.Bench -- retrieval [--encoders ...] [--sets ...]
//
// evaluates retrieval (lexical, dense, hybrid) on NQ, SQuAD and HotpotQA: see RetrievalBench.cs;
// `-- encoders` measures the built-in encoders' throughput: see EncoderBench.cs; `-- ingest` uploads the NQ
// passages to a running service, one request each and by batch: see IngestBench.cs.

if (args.FirstOrDefault() == "eval")
{
    await Rag.Bench.EvalRunner.RunAsync(args);
    return;
}

if (args.FirstOrDefault() == "vectors")
{
    await Rag.Bench.VectorBench.RunAsync(args);
    return;
}

if (args.FirstOrDefault() == "queries")
{
    await Rag.Bench.QueryBench.RunAsync(args);
    return;
}

if (args.FirstOrDefault() == "retrieval")
{
    await Rag.Bench.RetrievalBench.RunAsync(args);
    return;
}

if (args.FirstOrDefault() == "units")
{
    // Prints a document's units as ingestion cuts them (`units FILE`): one line each, its kind, heading path and text.
    Rag.Bench.TechDocs.PrintUnits(args[1]);
    return;
}

if (args.FirstOrDefault() == "ingest")
{
    await Rag.Bench.IngestBench.RunAsync(args);
    return;
}

if (args.FirstOrDefault() == "encoders")
{
    await Rag.Bench.EncoderBench.RunAsync(args);
    return;
}

if (args.FirstOrDefault() == "models")
{
    await Rag.Bench.ModelBench.RunAsync(args);
    return;
}

var copies = Option("--copies", 32);
var queries = Option("--queries", 2000);
var textPath = OptionText("--text") ?? FindHaystack();
var source = textPath is null ? GeneratedProse() : File.ReadAllText(textPath);
var markdown = ToMarkdown(source);

var dataPath = Path.Combine(Path.GetTempPath(), "rag-bench", Guid.NewGuid().ToString("N"));
var embedderPath = OptionText("--embedder");
var postgres = OptionText("--postgres");
if (postgres is not null)
    await Rag.Storage.Postgres.PostgresSchema.MigrateAsync(postgres, CancellationToken.None);
var (built, queue) = BenchEngine.Build(new()
{
    ["Rag:DataPath"] = dataPath,
    ["Rag:Models:Embedder:Path"] = embedderPath,
    ["Rag:Models:Embedder:Name"] = embedderPath is null ? "none" : null,
    ["Rag:Models:Scorer:Name"] = "none",
    ["Rag:Storage:Documents"] = postgres is null ? "Embedded" : "Postgres",
    ["Rag:Storage:Postgres:ConnectionString"] = postgres,
});
await using var provider = built;
var documents = provider.GetRequiredService<DocumentService>();
var pipeline = provider.GetRequiredService<IngestionPipeline>();
var search = provider.GetRequiredService<SearchService>();

Console.WriteLine($"corpus: {(textPath ?? "generated prose")}, {Encoding.UTF8.GetByteCount(markdown) / 1e6:F2} MB per copy, {copies} copies");
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, store: {(postgres is null ? "embedded (SQLite + Lucene.Net) in " + dataPath : "PostgreSQL")}");

// Warm up JIT and the tokenizer on a small document outside the measurement.
await documents.AddAsync(Upload("warmup", markdown[..Math.Min(markdown.Length, 20_000)]), CancellationToken.None);
await Drain();

long bytes = 0;
var chunks = 0;
var clock = Stopwatch.StartNew();
for (var i = 0; i < copies; i++)
{
    var text = $"Copy {i} of the corpus.\n\n" + markdown;
    bytes += Encoding.UTF8.GetByteCount(text);
    var (record, _) = await documents.AddAsync(Upload("bench", text), CancellationToken.None);
    await Drain();
    chunks += (await documents.GetAsync("bench", record.Id, CancellationToken.None))!.ChunkCount;
}

var ingestSeconds = clock.Elapsed.TotalSeconds;
Console.WriteLine();
Console.WriteLine("| measure | value |");
Console.WriteLine("|---|---|");
Console.WriteLine($"| Markdown ingested | {bytes / 1e6:F1} MB in {copies} documents, {chunks} chunks |");
Console.WriteLine(embedderPath is null
    ? $"| ingest throughput (parse + chunk + store + index, 1 thread) | {bytes / 1e6 / ingestSeconds:F2} MB/s |"
    : $"| ingest throughput with embeddings (parse + chunk + store + index + embed every chunk) | {bytes / 1e6 / ingestSeconds:F2} MB/s, {chunks / ingestSeconds:F0} chunks/s |");

// Parse + chunk alone (one thread): what the pipeline does before it stores and indexes.
var chunker = provider.GetRequiredService<Rag.Retrieval.Chunking.DocumentChunker>();
var alone = Stopwatch.StartNew();
for (var i = 0; i < copies; i++)
{
    var text = $"Copy {i} of the corpus.\n\n" + markdown;
    chunker.Chunk(DocumentParser.Parse(Encoding.UTF8.GetBytes(text), new DocumentKind(DocumentFormat.Markdown)));
}

Console.WriteLine($"| parse + chunk alone (cl100k, 512 tokens, 64 overlap, 1 thread) | {bytes / 1e6 / alone.Elapsed.TotalSeconds:F2} MB/s |");

var words = Regex.Matches(source, "[A-Za-z]{5,}").Select(m => m.Value.ToLowerInvariant()).Distinct().ToArray();
var random = new Random(42);
var latencies = new double[queries];
for (var i = 0; i < 50; i++)
    await search.SearchAsync("bench", new SearchQuery(Query(), 10, []), CancellationToken.None);
for (var i = 0; i < queries; i++)
{
    var query = Query();
    var started = Stopwatch.GetTimestamp();
    await search.SearchAsync("bench", new SearchQuery(query, 10, []), CancellationToken.None);
    latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}

Array.Sort(latencies);
Console.WriteLine($"| {search.DefaultMode.ToString().ToLowerInvariant()} search over {chunks} chunks, top 10, {queries} queries of 3 words | p50 {Percentile(0.50):F2} ms, p99 {Percentile(0.99):F2} ms, max {latencies[^1]:F2} ms |");
Directory.Delete(dataPath, recursive: true);
return;

string Query() => string.Join(' ', Enumerable.Range(0, 3).Select(_ => words[random.Next(words.Length)]));

double Percentile(double p) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(p * latencies.Length) - 1)];

async Task Drain()
{
    while (queue.TryTake(out var item))
        await pipeline.RunAsync(item.Collection, item.DocumentId, CancellationToken.None);
}

static DocumentUpload Upload(string collection, string text) =>
    new(collection, Encoding.UTF8.GetBytes(text), new DocumentKind(DocumentFormat.Markdown), "corpus.md", null, []);

int Option(string name, int fallback) => BenchArgs.Int(args, name, fallback);

string? OptionText(string name) => BenchArgs.Option(args, name);

static string? FindHaystack()
{
    var candidate = Path.Combine(BenchArgs.Data(), "niah-haystack", "pride_and_prejudice.txt");
    return File.Exists(candidate) ? candidate : null;
}

static string ToMarkdown(string text) =>
    "# Corpus\n\n" + Regex.Replace(text.Replace("\r\n", "\n", StringComparison.Ordinal), @"(?m)^(CHAPTER|Chapter) ([IVXLC\d]+)\.?\s*$", "## Chapter $2");

static string GeneratedProse()
{
    var random = new Random(1);
    string[] words = ["harbour", "tide", "pier", "vessel", "lantern", "rope", "anchor", "gull", "current", "keeper", "storm", "light"];
    var text = new StringBuilder();
    for (var chapter = 1; chapter <= 60; chapter++)
    {
        text.Append("Chapter ").Append(chapter).Append("\n\n");
        for (var sentence = 0; sentence < 120; sentence++)
            text.Append(string.Join(' ', Enumerable.Range(0, 12).Select(_ => words[random.Next(words.Length)]))).Append(". ");
        text.Append("\n\n");
    }

    return text.ToString();
}

internal sealed class InlineQueue : IIngestionQueue
{
    private readonly Queue<(string Collection, string DocumentId)> _items = new();

    public void Enqueue(string collection, string documentId, long sizeBytes) => _items.Enqueue((collection, documentId));

    public bool TryTake(out (string Collection, string DocumentId) item) => _items.TryDequeue(out item);
}

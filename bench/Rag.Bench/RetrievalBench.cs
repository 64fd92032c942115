using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rag.Hosting;
using Rag.Engine;
using Rag.Engine.Documents;
using Rag.Engine.Ingestion;
using Rag.Engine.Search;
using Rag.Retrieval.Parsing;
using Rag.Retrieval.Vectors;

namespace Rag.Bench;

/// <summary>
/// The retrieval evaluation: the service's own ingestion and search (embedded storage, in process)
/// over three real sets, for each encoder, lexical vs dense vs hybrid.
///
///   dotnet run -c Release --project bench/Rag.Bench -- retrieval [--encoders fixture,all-minilm-l6-v2,arctic-embed-xs]
///       [--sets nq,squad,hotpotqa,leval] [--dense chunk,units,mean] [--questions N] [--out docs/retrieval-results.md]
///
/// Sets (../shared/data): NQ oracle passages (2,655 passages as documents, each question's gold
/// passage is its one relevant document); SQuAD ExpMRC dev (319 paragraphs, 501 questions); HotpotQA
/// distractor (the union of the 100 questions' paragraphs; a question is answered only when both its
/// supporting paragraphs are retrieved, so its R@k needs both in the top k and R@1 is not defined);
/// L-Eval NQ (21 long Wikipedia pages of 23k–140k characters, 109 questions), ranked by chunk: a hit is
/// a chunk holding an answer string (questions whose answer no chunk holds whole are left out).
///
/// Three dense signals are measured, each alone and fused with BM25: the chunk's own vector, the
/// chunk's best unit (max-sim over the sentence vectors stored at ingestion), and the mean of the two.
///
/// Fusion is fitted, not assumed: questions with an even index form the fit split, odd ones the test
/// split. For each encoder the dense weight of the convex combination (and of weighted RRF) that
/// maximises R@1 + R@10 summed over the sets' fit splits is chosen, then every figure below is on the
/// test split. "hybrid (service)" is what SearchService answers with its configured fusion.
/// </summary>
internal static class RetrievalBench
{
    private const int Candidates = 50;
    private static readonly int[] Ks = [1, 2, 5, 10];
    private static readonly double[] Weights = [.. Enumerable.Range(0, 21).Select(i => i / 20.0)];
    private static readonly double[] GapWeights = [0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0];

    public static async Task RunAsync(string[] args)
    {
        var encoders = (BenchArgs.Option(args, "--encoders") ?? "fixture,all-minilm-l6-v2,arctic-embed-xs").Split(',');
        var setNames = (BenchArgs.Option(args, "--sets") ?? "nq,squad,hotpotqa,leval").Split(',');
        var limit = BenchArgs.Option(args, "--questions") is { } q ? int.Parse(q, CultureInfo.InvariantCulture) : int.MaxValue;
        var output = BenchArgs.Option(args, "--out");
        var dump = BenchArgs.Option(args, "--dump"); // candidate lists as JSON, for studying fusion offline
        var sets = setNames.Select(name => Load(name, limit)).ToList();
        var signals = (BenchArgs.Option(args, "--dense") ?? "chunk,units,mean").Split(',');
        // Service settings to measure other than the defaults, e.g. --config Rag:Ingestion:ChunkVectors=Read.
        var config = BenchArgs.All(args, "--config").Select(c => c.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length == 2 ? kv[1] : throw new ArgumentException($"--config {kv[0]}: use Key=Value."));
        var report = new StringBuilder();
        void Say(string line)
        {
            Console.WriteLine(line);
            report.AppendLine(line);
        }

        Say($"# Retrieval evaluation\n\n{Environment.ProcessorCount} CPU cores, {DateTime.UtcNow:yyyy-MM-dd}. Command: `dotnet run -c Release --project bench/Rag.Bench -- retrieval{string.Concat(args.Skip(1).Select(a => " " + a))}`\n");
        foreach (var set in sets)
            Say($"- {set.Name}: {set.Documents.Count} documents, {set.Questions.Count} questions ({set.Questions.Count(x => x.Fit)} fit / {set.Questions.Count(x => !x.Fit)} test){(set.ChunkLevel ? ", ranked by chunk (a hit: a chunk holding an answer string)" : "")}");
        Say("");

        var rows = new List<string>();
        var speed = new List<string>();
        foreach (var encoder in encoders)
        {
            var run = await RunEncoderAsync(encoder, sets, config);
            foreach (var set in sets.Where(s => s.ChunkLevel))
                Say($"- {encoder}, {set.Name}: {set.Questions.Count(q => q.Relevant.Count > 0)} of {set.Questions.Count} questions have a chunk holding an answer string whole; the others are left out");
            speed.AddRange(run.Speed);
            if (dump is not null)
            {
                var lists = sets.ToDictionary(s => s.Name, s => s.Questions.Select(q => new
                {
                    fit = q.Fit,
                    relevant = q.Relevant,
                    lexical = run.Lists[s.Name][q.Index].Lexical.Select(x => new { id = x.Item1, score = x.Item2 }),
                    dense = run.Lists[s.Name][q.Index].Dense.Select(x => new { id = x.Item1, score = x.Item2 }),
                    units = run.Units[s.Name][q.Index].Select(x => new { id = x.Item1, score = x.Item2 }),
                }));
                await File.WriteAllTextAsync($"{dump}.{encoder}.json", JsonSerializer.Serialize(lists));
            }

            foreach (var signal in signals)
            {
                // The dense list of this signal, in place of the chunk vectors' list.
                var variant = sets.ToDictionary(s => s.Name, s => run.Lists[s.Name].ToDictionary(kv => kv.Key, kv => (kv.Value.Lexical, signal switch
                {
                    "chunk" => kv.Value.Dense,
                    "units" => run.Units[s.Name][kv.Key],
                    "mean" => MeanOf(kv.Value.Dense, run.Units[s.Name][kv.Key]),
                    _ => throw new ArgumentException($"Unknown dense signal '{signal}': use chunk, units, mean."),
                })));
                Fit(encoder, signal, variant);
            }

            FitMulti(encoder, run);
            foreach (var set in sets)
                rows.Add(Row(encoder, set, "hybrid (service)", run.Service[set.Name]));

            void FitMulti(string encoder, EncoderRun run)
            {
                // Multi-granularity: BM25, the chunk's vector and its best unit (max-sim), fused by the convex combination
                // SearchService runs — (w0, α, unit share) chosen on every set's fit split together, by the smallest margin
                // over the better single mode on any set, then by R@first-k + R@10.
                var triple = sets.ToDictionary(s => s.Name, s => run.Lists[s.Name].ToDictionary(kv => kv.Key, kv => (kv.Value.Lexical, kv.Value.Dense, Units: run.Units[s.Name][kv.Key])));
                var shares = Enumerable.Range(0, 11).Select(i => i / 10.0).ToArray();
                double Recall(EvalSet set, bool fit, Func<int, List<string>> rank, int k)
                {
                    var questions = set.Questions.Where(q => q.Fit == fit && q.Relevant.Count > 0).ToList();
                    return questions.Count == 0 ? 0 : questions.Average(q => Hit(rank(q.Index), q, k) ? 1.0 : 0.0);
                }

                List<string> Fused(string set, int question, double w, double a, double u)
                {
                    var (lexical, dense, units) = triple[set][question];
                    return [.. ConvexFusion.Fuse(lexical, dense, units, w, u, 10, a).Select(x => x.Item)];
                }

                var singles = sets.ToDictionary(s => s.Name, s => new[] { s.FirstK, 10 }.ToDictionary(k => k, k => Math.Max(
                    Recall(s, true, q => [.. triple[s.Name][q].Lexical.Select(x => x.Item1)], k), Recall(s, true, q => [.. triple[s.Name][q].Dense.Select(x => x.Item1)], k))));
                var best = Weights.SelectMany(w => GapWeights.SelectMany(a => shares.Select(u => (W: w, A: a, U: u))))
                    .AsParallel()
                    .Select(p =>
                    {
                        var worst = double.MaxValue;
                        var sum = 0.0;
                        foreach (var set in sets)
                        {
                            foreach (var k in new[] { set.FirstK, 10 })
                            {
                                var r = Recall(set, true, q => Fused(set.Name, q, p.W, p.A, p.U), k);
                                worst = Math.Min(worst, r - singles[set.Name][k]);
                                sum += r;
                            }
                        }

                        return (p.W, p.A, p.U, Worst: Math.Round(worst, 6), Sum: sum);
                    })
                    .OrderByDescending(p => p.Worst).ThenByDescending(p => p.Sum).ThenBy(p => p.W).ThenBy(p => p.A).ThenBy(p => p.U).First();
                Say(string.Create(CultureInfo.InvariantCulture,
                    $"{encoder}, multi-granularity (BM25 + chunk vector + best unit): fitted w0 {best.W:F2} α {best.A:F2} unit share {best.U:F1} (worst fit-split margin {best.Worst:+0.000;-0.000})"));
                foreach (var set in sets)
                {
                    rows.Add(Row(encoder, set, string.Create(CultureInfo.InvariantCulture, $"hybrid (multi), w0={best.W:F2} α={best.A:F2} unit share={best.U:F1}"),
                        set.Questions.ToDictionary(q => q.Index, q => Fused(set.Name, q.Index, best.W, best.A, best.U))));
                }
            }

            void Fit(string encoder, string signal, Dictionary<string, Dictionary<int, (List<(string, double)> Lexical, List<(string, double)> Dense)>> lists)
            {
                // Fit the fusion weights on the fit split, over all sets together.
                var convex = Weights.MaxBy(w => sets.Sum(s => Objective(lists[s.Name], s, fit: true, (l, d) => ConvexFusion.Fuse(l, d, w, 10))));
                var rrf = Weights.MaxBy(w => sets.Sum(s => Objective(lists[s.Name], s, fit: true, (l, d) => Rrf(l, d, w))));
                // The adaptive convex combination: (w0, α) chosen so that on the fit split hybrid loses least to the
                // better single mode on any set (then by R@1 + R@10) — "never worse than its better input".
                var adaptive = Weights.SelectMany(w => GapWeights.Select(a => (W: w, A: a)))
                    .Select(p => (p.W, p.A, Fused: (Func<List<(string, double)>, List<(string, double)>, IReadOnlyList<(string Item, double Score)>>)((l, d) => ConvexFusion.Fuse(l, d, p.W, 10, p.A))))
                    .Select(p => (p.W, p.A, p.Fused, Worst: sets.Min(s => WorstMargin(lists[s.Name], s, p.Fused)), Sum: sets.Sum(s => Objective(lists[s.Name], s, fit: true, p.Fused))))
                    .OrderByDescending(p => p.Worst).ThenByDescending(p => p.Sum).First();
                Say(string.Create(CultureInfo.InvariantCulture,
                    $"{encoder}, dense = {signal}: fitted dense weight — convex {convex:F2}, weighted RRF {rrf:F2}, adaptive convex w0 {adaptive.W:F2} α {adaptive.A:F2} (worst fit-split margin {adaptive.Worst:+0.000;-0.000}); the service's hybrid uses w0 {run.ServiceWeight:F2} α {run.ServiceGap:F2} ({run.ServiceFusion})"));
                foreach (var set in sets)
                {
                    var perSet = lists[set.Name];
                    if (signal == signals[0])
                        rows.Add(Row(encoder, set, "lexical", perSet, (l, _) => l));
                    rows.Add(Row(encoder, set, $"dense ({signal})", perSet, (_, d) => d));
                    rows.Add(Row(encoder, set, $"hybrid ({signal}), RRF equal weights", perSet, (l, d) => Rrf(l, d, 0.5)));
                    rows.Add(Row(encoder, set, $"hybrid ({signal}), weighted RRF w={rrf:F2}", perSet, (l, d) => Rrf(l, d, rrf)));
                    rows.Add(Row(encoder, set, $"hybrid ({signal}), convex w={convex:F2}", perSet, (l, d) => ConvexFusion.Fuse(l, d, convex, 10)));
                    rows.Add(Row(encoder, set, $"hybrid ({signal}), adaptive convex w0={adaptive.W:F2} α={adaptive.A:F2}", perSet, adaptive.Fused));
                }
            }
        }

        Say("\n## Ranking quality (test split)\n");
        Say("| encoder | set | mode | R@1 | R@2 | R@5 | R@10 | MRR@10 | nDCG@10 |");
        Say("|---|---|---|---|---|---|---|---|---|");
        foreach (var row in rows.OrderBy(r => r.Split('|')[1]).ThenBy(r => Array.IndexOf(setNames, r.Split('|')[2].Trim())).ThenBy(rows.IndexOf))
            Say(row);
        Say("\n## Speed\n");
        Say("| encoder | set | ingestion | encoder throughput | search p50 / p99 (lexical; dense; hybrid) | max-sim (embed + units) p50 / p99 |");
        Say("|---|---|---|---|---|---|");
        foreach (var row in speed)
            Say(row);
        if (output is not null)
            await File.WriteAllTextAsync(output, report.ToString());
    }

    private static double Objective(Dictionary<int, (List<(string, double)> Lexical, List<(string, double)> Dense)> lists, EvalSet set, bool fit,
        Func<List<(string, double)>, List<(string, double)>, IReadOnlyList<(string Item, double Score)>> fuse)
    {
        var questions = set.Questions.Where(q => q.Fit == fit && q.Relevant.Count > 0).ToList();
        var r1 = 0.0;
        var r10 = 0.0;
        foreach (var question in questions)
        {
            var (lexical, dense) = lists[question.Index];
            var ranked = fuse(lexical, dense).Select(x => x.Item).ToList();
            r1 += Hit(ranked, question, set.FirstK) ? 1 : 0;
            r10 += Hit(ranked, question, 10) ? 1 : 0;
        }

        return (r1 + r10) / Math.Max(1, questions.Count);
    }

    /// <summary>The fit split's smallest margin of the fusion over the better single mode, on R@first-k and R@10.</summary>
    private static double WorstMargin(Dictionary<int, (List<(string, double)> Lexical, List<(string, double)> Dense)> lists, EvalSet set,
        Func<List<(string, double)>, List<(string, double)>, IReadOnlyList<(string Item, double Score)>> fuse)
    {
        var questions = set.Questions.Where(q => q.Fit && q.Relevant.Count > 0).ToList();
        double Recall(Func<(List<(string, double)> Lexical, List<(string, double)> Dense), List<string>> rank, int k) =>
            questions.Average(q => Hit(rank(lists[q.Index]), q, k) ? 1.0 : 0.0);
        var worst = double.MaxValue;
        foreach (var k in new[] { set.FirstK, 10 })
        {
            var fused = Recall(l => [.. fuse(l.Lexical, l.Dense).Select(x => x.Item)], k);
            var better = Math.Max(Recall(l => [.. l.Lexical.Select(x => x.Item1)], k), Recall(l => [.. l.Dense.Select(x => x.Item1)], k));
            worst = Math.Min(worst, fused - better);
        }

        return worst;
    }

    /// <summary>
    /// The mean of the chunk vector's and the best unit's cosine, per candidate of either list (a candidate only one
    /// list found gets the other list's lowest score for it), best first.
    /// </summary>
    private static List<(string, double)> MeanOf(List<(string Item, double Score)> chunk, List<(string Item, double Score)> units)
    {
        var floorChunk = chunk.Count == 0 ? 0 : chunk.Min(c => c.Score);
        var floorUnits = units.Count == 0 ? 0 : units.Min(u => u.Score);
        var a = chunk.ToDictionary(c => c.Item, c => c.Score);
        var b = units.ToDictionary(u => u.Item, u => u.Score);
        return [.. a.Keys.Union(b.Keys)
            .Select(k => (k, (a.GetValueOrDefault(k, floorChunk) + b.GetValueOrDefault(k, floorUnits)) / 2))
            .OrderByDescending(x => x.Item2)];
    }

    private static IReadOnlyList<(string Item, double Score)> Rrf(List<(string Item, double Score)> lexical, List<(string Item, double Score)> dense, double weight) =>
        ReciprocalRankFusion.Fuse<string>([[.. lexical.Select(l => l.Item)], [.. dense.Select(d => d.Item)]], 10, weights: [1 - weight, weight]);

    private static string Row(string encoder, EvalSet set, string mode,
        Dictionary<int, (List<(string, double)> Lexical, List<(string, double)> Dense)> lists,
        Func<List<(string, double)>, List<(string, double)>, IReadOnlyList<(string Item, double Score)>> fuse) =>
        Row(encoder, set, mode, lists.ToDictionary(kv => kv.Key, kv => fuse(kv.Value.Lexical, kv.Value.Dense).Select(x => x.Item).Take(10).ToList()));

    private static string Row(string encoder, EvalSet set, string mode, Dictionary<int, List<string>> rankings)
    {
        var test = set.Questions.Where(q => !q.Fit && q.Relevant.Count > 0).ToList();
        var recall = Ks.ToDictionary(k => k, k => test.Average(q => Hit(rankings[q.Index], q, k) ? 1.0 : 0.0));
        var mrr = test.Average(q => Reciprocal(rankings[q.Index], q.Relevant));
        var ndcg = test.Average(q => Ndcg(rankings[q.Index], q.Relevant));
        string R(int k) => set.Name == "hotpotqa" && k < 2 ? "n/a" : recall[k].ToString("F3", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"| {encoder} | {set.Name} | {mode} | {R(1)} | {R(2)} | {R(5)} | {R(10)} | {mrr:F3} | {ndcg:F3} |");
    }

    /// <summary>All relevant documents are in the top <paramref name="k"/> (for a chunk-level set: any chunk holding an answer).</summary>
    private static bool Hit(List<string> ranked, EvalQuestion question, int k) => question.AnyRelevant
        ? ranked.Take(k).Any(question.Relevant.Contains)
        : question.Relevant.All(r => ranked.Take(k).Contains(r));

    /// <summary>1 / rank of the first relevant document (0 beyond 10).</summary>
    private static double Reciprocal(List<string> ranked, HashSet<string> relevant)
    {
        var at = ranked.Take(10).ToList().FindIndex(relevant.Contains);
        return at < 0 ? 0 : 1.0 / (at + 1);
    }

    private static double Ndcg(List<string> ranked, HashSet<string> relevant)
    {
        var dcg = ranked.Take(10).Select((d, i) => relevant.Contains(d) ? 1 / Math.Log2(i + 2) : 0).Sum();
        var ideal = Enumerable.Range(0, Math.Min(10, relevant.Count)).Sum(i => 1 / Math.Log2(i + 2));
        return dcg / ideal;
    }

    private sealed record EncoderRun(
        Dictionary<string, Dictionary<int, (List<(string, double)> Lexical, List<(string, double)> Dense)>> Lists,
        Dictionary<string, Dictionary<int, List<(string, double)>>> Units,
        Dictionary<string, Dictionary<int, List<string>>> Service,
        List<string> Speed,
        double ServiceWeight,
        double ServiceGap,
        string ServiceFusion);

    private static async Task<EncoderRun> RunEncoderAsync(string encoder, List<EvalSet> sets, IReadOnlyDictionary<string, string> config)
    {
        var dataPath = Directory.CreateTempSubdirectory("rag-retrieval-").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["Rag:DataPath"] = dataPath,
            ["Rag:Models:BuiltInPath"] = Path.Combine(Path.GetTempPath(), "rag-bench-models"),
            ["Rag:Models:Scorer:Name"] = "none",
        };
        if (encoder == "fixture")
            settings["Rag:Models:Embedder:Path"] = Path.Combine(BenchArgs.Root(), "models", "tiny-embedder");
        else
            settings["Rag:Models:Embedder:Name"] = encoder;
        foreach (var (key, value) in config)
            settings[key] = value;
        var services = new ServiceCollection().AddLogging();
        services.AddRag(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        var queue = new InlineQueue();
        services.AddSingleton<IIngestionQueue>(queue);
        await using var provider = services.BuildServiceProvider();
        var documents = provider.GetRequiredService<DocumentService>();
        var pipeline = provider.GetRequiredService<IngestionPipeline>();
        var search = provider.GetRequiredService<SearchService>();
        var lists = new Dictionary<string, Dictionary<int, (List<(string, double)>, List<(string, double)>)>>();
        var unitLists = new Dictionary<string, Dictionary<int, List<(string, double)>>>();
        var vectorIndex = provider.GetRequiredService<IVectorIndex>();
        var service = new Dictionary<string, Dictionary<int, List<string>>>();
        var speed = new List<string>();
        var embedder = provider.GetRequiredService<Rag.Engine.Models.ModelHost>().Embedder!;
        foreach (var set in sets)
        {
            // Ingest: every document through the service's own pipeline (parse, chunk, store, BM25, embed).
            var ids = new Dictionary<string, string>(); // evaluation key -> document id
            var clock = Stopwatch.StartNew();
            long bytes = 0;
            var tokens = 0L;
            foreach (var (key, text) in set.Documents)
            {
                var content = Encoding.UTF8.GetBytes(text);
                bytes += content.Length;
                var (record, _) = await documents.AddAsync(new DocumentUpload(set.Name, content, new DocumentKind(DocumentFormat.Text), key + ".txt", null, []), CancellationToken.None);
                ids[key] = record.Id;
            }

            foreach (var (key, content) in set.Files)
            {
                bytes += content.Length;
                var kind = DocumentKinds.Detect(key, null) ?? new DocumentKind(DocumentFormat.Text);
                var (record, _) = await documents.AddAsync(new DocumentUpload(set.Name, content, kind, key, null, []), CancellationToken.None);
                ids[key] = record.Id;
            }

            while (queue.TryTake(out var item))
                await pipeline.RunAsync(item.Collection, item.DocumentId, CancellationToken.None);
            var seconds = clock.Elapsed.TotalSeconds;
            foreach (var text in set.Documents.Values)
                tokens += embedder.Encode(text, "").Ids.Length;
            var store0 = provider.GetRequiredService<Rag.Retrieval.Stores.IDocumentStore>();
            var chunkCount = 0;
            foreach (var id in ids.Values.Distinct())
                chunkCount += (await store0.GetDocumentChunksAsync(set.Name, id, CancellationToken.None)).Count;
            Console.Error.WriteLine($"{encoder} {set.Name}: {chunkCount} chunks; encoder read {embedder.TokensEmbedded} tokens so far");
            speed.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {encoder} | {set.Name} | {ids.Values.Distinct().Count() / seconds:F1} documents/s, {bytes / 1e6 / seconds:F3} MB/s | ≥ {tokens / seconds:F0} tokens/s (whole pipeline) |"));

            var perSet = new Dictionary<int, (List<(string, double)>, List<(string, double)>)>();
            var perUnits = new Dictionary<int, List<(string, double)>>();
            var unitLatencies = new List<double>();
            var perService = new Dictionary<int, List<string>>();
            var latencies = new Dictionary<SearchMode, List<double>> { [SearchMode.Lexical] = [], [SearchMode.Dense] = [], [SearchMode.Hybrid] = [] };
            foreach (var question in set.Questions)
            {
                async Task<List<(string Key, double Score)>> Search(SearchMode mode, int topK)
                {
                    var started = Stopwatch.GetTimestamp();
                    var outcome = await search.SearchAsync(set.Name, new SearchQuery(question.Text, topK, [], mode), CancellationToken.None);
                    latencies[mode].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    // Rank documents by their best chunk (chunk-level sets: the chunks themselves).
                    return set.ChunkLevel
                        ? [.. outcome.Results.Select(r => (r.ChunkId, r.Score))]
                        : [.. outcome.Results.GroupBy(r => r.DocumentId).Select(g => (g.Key, g.Max(r => r.Score)))];
                }

                var lexical = await Search(SearchMode.Lexical, Candidates);
                await Search(SearchMode.Dense, Candidates); // the service's dense mode, for its latency (it draws on units too)
                var hybrid = await Search(SearchMode.Hybrid, 10);

                // The chunks' own vectors, and a chunk scored by its best unit (max-sim over the stored unit vectors).
                var query = (await embedder.EmbedQueriesAsync([question.Text], CancellationToken.None))[0].Vector;
                var chunkHits = await vectorIndex.SearchAsync(set.Name, query, embedder.ModelId, Candidates, null, CancellationToken.None);
                var chunkKeys = chunkHits.Select(h => (Key: new Rag.Retrieval.Chunking.ChunkRef(h.DocumentId, h.ChunkIndex).ToString(), h.DocumentId, Score: (double)h.Score)).ToList();
                perSet[question.Index] = (lexical, set.ChunkLevel
                    ? [.. chunkKeys.Select(h => (h.Key, h.Score))]
                    : [.. chunkKeys.GroupBy(h => h.DocumentId).Select(g => (g.Key, g.Max(h => h.Score)))]);
                var unitClock = Stopwatch.GetTimestamp();
                query = (await embedder.EmbedQueriesAsync([question.Text], CancellationToken.None))[0].Vector;
                var unitHits = await vectorIndex.SearchUnitsAsync(set.Name, query, embedder.ModelId, Candidates, null, CancellationToken.None);
                unitLatencies.Add(Stopwatch.GetElapsedTime(unitClock).TotalMilliseconds);
                perUnits[question.Index] = set.ChunkLevel
                    ? [.. unitHits.Select(h => (new Rag.Retrieval.Chunking.ChunkRef(h.DocumentId, h.ChunkIndex).ToString(), (double)h.Score))]
                    : [.. unitHits.GroupBy(h => h.DocumentId).Select(g => (g.Key, (double)g.Max(h => h.Score)))];
                perService[question.Index] = [.. hybrid.Select(h => h.Key)];
            }

            // Relevant keys become document ids (chunk-level sets: the ids of the chunks holding an answer string).
            var store = provider.GetRequiredService<Rag.Retrieval.Stores.IDocumentStore>();
            foreach (var question in set.Questions)
            {
                if (!set.ChunkLevel)
                {
                    question.Relevant = [.. question.RelevantKeys.Select(k => ids[k])];
                    continue;
                }

                var documentId = ids[question.RelevantKeys.Single()];
                question.Relevant = [.. (await store.GetDocumentChunksAsync(set.Name, documentId, CancellationToken.None))
                    .Where(c => question.Answers.Any(a => Collapse(c.Text).Contains(Collapse(a), StringComparison.Ordinal)))
                    .Select(c => new Rag.Retrieval.Chunking.ChunkRef(documentId, c.Index).ToString())];
            }

            lists[set.Name] = perSet;
            unitLists[set.Name] = perUnits;
            service[set.Name] = perService;
            string P(SearchMode mode)
            {
                var sorted = latencies[mode].Order().ToList();
                return string.Create(CultureInfo.InvariantCulture, $"{sorted[sorted.Count / 2]:F1} / {sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * 0.99))]:F1} ms");
            }

            var units = unitLatencies.Order().ToList();
            speed[^1] += string.Create(CultureInfo.InvariantCulture,
                $" {P(SearchMode.Lexical)}; {P(SearchMode.Dense)}; {P(SearchMode.Hybrid)} | {units[units.Count / 2]:F1} / {units[Math.Min(units.Count - 1, (int)(units.Count * 0.99))]:F1} ms |");
            Console.Error.WriteLine($"{encoder} {set.Name}: ingested in {seconds:F1} s; searched");
        }

        var weight = search.DenseWeight;
        var gap = search.LexicalGapWeight;
        var fusion = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Rag.Engine.Configuration.RagOptions>>().Value.Search.Fusion.ToString();
        await provider.DisposeAsync();
        Directory.Delete(dataPath, recursive: true);
        return new EncoderRun(lists, unitLists, service, speed, weight, gap, fusion);
    }

    /// <summary>White space runs as one space: an answer string wrapped across lines in a document still matches.</summary>
    internal static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private sealed class EvalSet(string name, int firstK, bool chunkLevel = false)
    {
        public string Name => name;

        /// <summary>Ranked by chunk: relevant are the chunks holding an answer string, and any one of them is a hit.</summary>
        public bool ChunkLevel => chunkLevel;

        /// <summary>The smallest k at which a hit is possible (2 when two documents are needed).</summary>
        public int FirstK => firstK;

        public Dictionary<string, string> Documents { get; } = [];

        /// <summary>Documents ingested as the files they are (their kind from the name: HTML, Markdown, PDF, text).</summary>
        public Dictionary<string, byte[]> Files { get; } = [];

        public List<EvalQuestion> Questions { get; } = [];
    }

    private sealed class EvalQuestion(int index, string text, HashSet<string> relevantKeys, IReadOnlyList<string>? answers = null, bool? fit = null)
    {
        /// <summary>Answer strings (chunk-level sets): a chunk holding one is relevant, and one such chunk is enough.</summary>
        public IReadOnlyList<string> Answers => answers ?? [];

        public bool AnyRelevant => answers is not null;

        public int Index => index;

        public string Text => text;

        public bool Fit => fit ?? index % 2 == 0;

        public HashSet<string> RelevantKeys => relevantKeys;

        public HashSet<string> Relevant { get; set; } = [];
    }

    /// <summary>The NQ corpus: every gold passage (title, blank line, text), by key — 2,655 small documents.</summary>
    internal static IReadOnlyDictionary<string, string> NqPassages() => Load("nq", 0).Documents;

    private static EvalSet Load(string name, int limit)
    {
        var data = BenchArgs.Data();
        switch (name)
        {
            case "nq":
            {
                var set = new EvalSet(name, 1);
                using var file = new GZipStream(File.OpenRead(Path.Combine(data, "nq-lost-in-the-middle", "nq-open-oracle.jsonl.gz")), CompressionMode.Decompress);
                using var reader = new StreamReader(file);
                var lines = new List<JsonElement>();
                while (reader.ReadLine() is { } line)
                    lines.Add(JsonDocument.Parse(line).RootElement);
                // Every passage is a document, even those of questions not asked (the corpus stays whole).
                foreach (var (line, i) in lines.Select((l, i) => (l, i)))
                {
                    var gold = line.GetProperty("ctxs")[0];
                    var key = $"nq-{i}";
                    set.Documents[key] = $"{gold.GetProperty("title").GetString()}\n\n{gold.GetProperty("text").GetString()}";
                    if (i < limit)
                        set.Questions.Add(new EvalQuestion(i, line.GetProperty("question").GetString()!, [key]));
                }

                return set;
            }

            case "squad":
            {
                var set = new EvalSet(name, 1);
                using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(data, "squad-expmrc", "expmrc-squad-dev.json")));
                var p = 0;
                foreach (var article in json.RootElement.GetProperty("data").EnumerateArray())
                {
                    foreach (var paragraph in article.GetProperty("paragraphs").EnumerateArray())
                    {
                        var key = $"squad-{p++}";
                        set.Documents[key] = paragraph.GetProperty("context").GetString()!;
                        foreach (var qa in paragraph.GetProperty("qas").EnumerateArray())
                        {
                            if (set.Questions.Count < limit)
                                set.Questions.Add(new EvalQuestion(set.Questions.Count, qa.GetProperty("question").GetString()!, [key]));
                        }
                    }
                }

                return set;
            }

            case "hotpotqa":
            {
                var set = new EvalSet(name, 2);
                using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(data, "hotpotqa-hipporag", "hotpotqa_train.json")));
                foreach (var item in json.RootElement.EnumerateArray())
                {
                    foreach (var context in item.GetProperty("context").EnumerateArray())
                    {
                        var title = context[0].GetString()!;
                        set.Documents[title] = $"{title}\n\n{string.Concat(context[1].EnumerateArray().Select(s => s.GetString()))}".Trim();
                    }

                    var relevant = item.GetProperty("supporting_facts").EnumerateArray().Select(f => f[0].GetString()!).ToHashSet();
                    if (set.Questions.Count < limit)
                        set.Questions.Add(new EvalQuestion(set.Questions.Count, item.GetProperty("question").GetString()!, relevant));
                }

                return set;
            }

            case "leval":
            {
                var set = new EvalSet(name, 1, chunkLevel: true);
                var page = 0;
                foreach (var line in File.ReadLines(Path.Combine(data, "leval-nq", "natural_question.jsonl")))
                {
                    var item = JsonDocument.Parse(line).RootElement;
                    var key = $"leval-{page++}";
                    set.Documents[key] = item.GetProperty("input").GetString()!;
                    var questions = item.GetProperty("instructions").EnumerateArray().Select(q => q.GetString()!).ToList();
                    var outputs = item.GetProperty("outputs").EnumerateArray().Select(o => o.GetString()!).ToList();
                    for (var i = 0; i < questions.Count && set.Questions.Count < limit; i++)
                        set.Questions.Add(new EvalQuestion(set.Questions.Count, questions[i], [key], [outputs[i]]));
                }

                return set;
            }

            case "techdocs":
            {
                // Long technical documents (release notes, manuals, HTML references, PDFs) collected from this machine's
                // Debian packages by bench/techdocs/collect.sh; the split is by document, as questions.jsonl says.
                var set = new EvalSet(name, 1, chunkLevel: true);
                var folder = TechDocs.Folder();
                foreach (var question in TechDocs.Questions())
                {
                    if (!set.Files.ContainsKey(question.Document))
                        set.Files[question.Document] = File.ReadAllBytes(Path.Combine(folder, question.Document));
                    if (set.Questions.Count < limit)
                        set.Questions.Add(new EvalQuestion(set.Questions.Count, question.Question, [question.Document], [question.Answer], question.Fit));
                }

                return set;
            }

            default:
                throw new ArgumentException($"Unknown set '{name}': use nq, squad, hotpotqa, leval, techdocs.");
        }
    }
}

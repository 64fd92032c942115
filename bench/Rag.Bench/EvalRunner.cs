using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;
using Rag.Compression;
using Rag.Compression.Extractive;
using Rag.Engine.Compression;
using Rag.Engine.Models;

namespace Rag.Bench;

/// <summary>
/// The compression evaluation: needle retention, evidence retention (SQuAD, HotpotQA), relevant
/// code retention, and speed, for each method next to the baselines at the same ratio.
///
///   dotnet run -c Release --project bench/Rag.Bench -- eval [--quick] [--only needles|nq|units|leval|evidence|code|speed|ask]
///       [--methods coarse_to_fine,bm25,...] [--out docs/compression-results.md]
///
/// Needs ../shared/data (the evaluation data) and, for the code set, /usr/lib/python3.11.
/// </summary>
internal static partial class EvalRunner
{
    private static readonly Tokenizer Cl100k = TiktokenTokenizer.CreateForEncoding("cl100k_base");
    private static string[] Methods = ["coarse_to_fine", "coarse_to_fine:dense", "coarse_to_fine:bm25", "coarse_to_fine:longllmlingua", "coarse_to_fine+first", "segment", "gemfilter", "gemfilter-sentences", "truncate", "random", "bm25"];

    /// <summary>The encoder, for rows ending in "+late": sentence vectors pooled from one pass over each context item (late chunking).</summary>
    private static (OnnxEmbedder Encoder, EncoderSimilarity Fallback)? Late;

    private static readonly Dictionary<string, List<(string Sentence, float[] Vector)>> LateVectors = new(StringComparer.Ordinal);

    /// <summary>Rows that run a method with other options: the paper-faithful variants of our defaults.</summary>
    private static readonly Dictionary<string, (PromptCompressor Compressor, string Method)> Variants = [];

    /// <summary>The pass-key task's standard prompt ending (Landmark Attention, LongLoRA; ../shared/data/README.md).</summary>
    private const string PasskeyQuestion = "What is the pass key? The pass key is";

    public static async Task RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var output = BenchArgs.Option(args, "--out") ?? Path.Combine(BenchArgs.Root(), "docs", "compression-results.md");
        var data = Path.Combine(BenchArgs.Root(), "..", "shared", "data");
        var sessions = new OnnxSessions(Options.Create(new ModelOptions()), NullLogger<OnnxSessions>.Instance);
        using var decoder = OnnxDecoder.Load(Path.Combine(BenchArgs.Root(), "models", "tiny-decoder"), sessions, new DecoderOptions());
        var ports = new DecoderPorts(decoder);
        var cacheFolder = Directory.CreateTempSubdirectory("rag-eval-").FullName;
        // The default encoder, as the service builds it, for coarse-to-fine's hybrid and dense ranking; its
        // sentence vectors are kept for the run, as the service's ingestion-time unit vectors would be.
        using var encoder = OnnxEmbedder.Load(
            Rag.Engine.Models.BuiltIn.BuiltInModelFolders.Ensure(Rag.Engine.Models.BuiltIn.BuiltInEncoders.Find("arctic-embed-xs")!, Path.Combine(Path.GetTempPath(), "rag-bench-models")),
            sessions, new EmbedderOptions());
        var similarity = new EncoderSimilarity(encoder, encoder.Config.HybridDenseWeight ?? 0.5, capacity: 1_000_000);
        var compressor = new PromptCompressor(Cl100k, ports, ports, new SqliteSegmentCache(Path.Combine(cacheFolder, "cache.db")), new CompressorOptions(), similarity);
        Late = (encoder, similarity);
        var report = new StringBuilder();
        void Say(string line)
        {
            Console.WriteLine(line);
            report.AppendLine(line);
        }

        Say($"# Compression evaluation\n\nDecoder `{decoder.ModelId}` (the fixture model), budgets in cl100k tokens, {Environment.ProcessorCount} CPU cores, {DateTime.UtcNow:yyyy-MM-dd}.");
        Say($"Command: `dotnet run -c Release --project bench/Rag.Bench -- eval{(quick ? " --quick" : "")}`\n");
        Say("Rows: `gemfilter` keeps the best words wherever they are, as the paper keeps tokens (the default); `gemfilter-sentences` keeps whole sentences ranked by their words' mean smoothed score (`Rag:Compression:GemFilterSentences`). `longcodezip` ranks named functions and their callees first (our default); `longcodezip, AMI order only` is the paper's coarse stage. Baselines: truncate, random word drop, BM25 sentence selection.\n");

        // The paper's coarse order (AMI alone) next to ours (names and calls first, then AMI); GemFilter's
        // whole-sentence option next to the default (best words anywhere, as the paper keeps tokens).
        Variants["longcodezip-ami"] = (new PromptCompressor(Cl100k, ports, ports, new SqliteSegmentCache(Path.Combine(cacheFolder, "cache-ami.db")),
            new CompressorOptions { LongCodeZipStructurePrior = false }), "longcodezip");
        Variants["coarse_to_fine+hop"] = (new PromptCompressor(Cl100k, ports, ports, new SqliteSegmentCache(Path.Combine(cacheFolder, "cache-hop.db")),
            new CompressorOptions { SecondHop = true }, similarity), "coarse_to_fine");
        Variants["gemfilter-sentences"] = (new PromptCompressor(Cl100k, ports, ports, new SqliteSegmentCache(Path.Combine(cacheFolder, "cache-sentences.db")),
            new CompressorOptions { GemFilterSentences = true }), "gemfilter");
        var only = BenchArgs.Option(args, "--only");
        if (BenchArgs.Option(args, "--methods") is { } methods)
            Methods = methods.Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (only is null or "needles")
        {
            var needles = await NeedlesAsync(compressor, data, quick, Say);
            Plot(needles, Path.ChangeExtension(output, ".png"));
            Say($"\nPlot: `{Path.GetFileName(Path.ChangeExtension(output, ".png"))}` (needle retention by ratio).");
        }

        if (only is null or "nq")
            await NqAsync(compressor, data, quick, Say);
        if (only is null or "units")
            await UnitVectorsAsync(compressor, encoder, similarity, data, quick, Say);
        if (only is null or "leval")
            await LevalAsync(compressor, data, quick, Say);
        if (only is null or "evidence")
            await EvidenceAsync(compressor, data, quick, Say);
        if (only is null or "code")
            await CodeAsync(compressor, quick, Say, args.Contains("--show"));
        if (only is null or "speed")
            await SpeedAsync(compressor, decoder, encoder, data, Say);
        if (only is null or "ask")
            await AskLatencyAsync(data, quick, Say);
        await File.WriteAllTextAsync(output, report.ToString());
        Directory.Delete(cacheFolder, recursive: true);
    }

    private static async Task<Dictionary<string, Dictionary<int, double>>> NeedlesAsync(PromptCompressor compressor, string data, bool quick, Action<string> say)
    {
        var haystack = Haystack(data);
        int[] lengths = quick ? [2048, 8192] : [2048, 4096, 8192, 16384];
        double[] depths = quick ? [0, 0.5, 1] : [0, 0.25, 0.5, 0.75, 1];
        int[] ratios = [2, 4, 10, 100];
        var kept = Methods.ToDictionary(m => m, _ => ratios.ToDictionary(r => r, _ => 0));
        var cases = 0;
        var random = new Random(5);
        foreach (var length in lengths)
        {
            foreach (var depth in depths)
            {
                var key = random.Next(10000, 99999).ToString(CultureInfo.InvariantCulture);
                var context = InsertNeedle(haystack, length, depth, $"The pass key is {key}. Remember it. {key} is the pass key.");
                cases++;
                foreach (var ratio in ratios)
                {
                    foreach (var method in Methods)
                    {
                        var prompt = (await CompressAsync(compressor, method, [context], PasskeyQuestion, 1.0 / ratio)).Prompt;
                        if (prompt.Contains(key, StringComparison.Ordinal))
                            kept[method][ratio]++;
                    }
                }
            }
        }

        say($"## Needle retention\n\nA pass key sentence in Pride and Prejudice, the standard prompt ending ('What is the pass key? The pass key is'), contexts {string.Join(", ", lengths.Select(l => $"{l / 1024}k"))} tokens, depths {string.Join(", ", depths.Select(d => $"{d:P0}"))}; kept = the key's digits are in the compressed prompt ({cases} cases per cell).\n");
        say("| method | " + string.Join(" | ", ratios.Select(r => $"{r}x")) + " |");
        say("|---|" + string.Concat(ratios.Select(_ => "---|")));
        var shares = new Dictionary<string, Dictionary<int, double>>();
        foreach (var method in Methods)
        {
            shares[method] = ratios.ToDictionary(r => r, r => (double)kept[method][r] / cases);
            say($"| {method} | " + string.Join(" | ", ratios.Select(r => $"{shares[method][r]:P0}")) + " |");
        }

        return shares;
    }

    private static async Task EvidenceAsync(PromptCompressor compressor, string data, bool quick, Action<string> say)
    {
        // SQuAD (ExpMRC): the question's paragraph among four others of the same article.
        var squad = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(data, "squad-expmrc", "expmrc-squad-dev.json")));
        var squadCases = new List<(List<string> Context, string Question, List<(int Item, string Sentence)> Evidence)>();
        foreach (var article in squad.RootElement.GetProperty("data").EnumerateArray())
        {
            var paragraphs = article.GetProperty("paragraphs").EnumerateArray().ToList();
            for (var p = 0; p < paragraphs.Count; p++)
            {
                foreach (var qa in paragraphs[p].GetProperty("qas").EnumerateArray().Take(1))
                {
                    var context = Enumerable.Range(0, 5).Select(k => paragraphs[(p + (k * 7)) % paragraphs.Count].GetProperty("context").GetString()!).ToList();
                    var evidence = qa.GetProperty("evidences").EnumerateArray().Select(e => (0, e.GetString()!)).Where(e => context[0].Contains(e.Item2, StringComparison.Ordinal)).ToList();
                    if (evidence.Count > 0)
                        squadCases.Add((Rotate(context, squadCases.Count % 5), qa.GetProperty("question").GetString()!, evidence.Select(e => ((5 - (squadCases.Count % 5)) % 5, e.Item2)).ToList()));
                }
            }
        }

        // HotpotQA: ten paragraphs, the supporting sentences.
        var hotpot = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(data, "hotpotqa-hipporag", "hotpotqa_train.json")));
        var hotpotCases = new List<(List<string> Context, string Question, List<(int Item, string Sentence)> Evidence)>();
        foreach (var question in hotpot.RootElement.EnumerateArray())
        {
            var paragraphs = question.GetProperty("context").EnumerateArray()
                .Select(p => (Title: p[0].GetString()!, Sentences: p[1].EnumerateArray().Select(s => s.GetString()!).ToList())).ToList();
            var context = paragraphs.Select(p => p.Title + ". " + string.Concat(p.Sentences)).ToList();
            var evidence = new List<(int, string)>();
            foreach (var fact in question.GetProperty("supporting_facts").EnumerateArray())
            {
                var item = paragraphs.FindIndex(p => p.Title == fact[0].GetString());
                var sentence = fact[1].GetInt32();
                if (item >= 0 && sentence < paragraphs[item].Sentences.Count && paragraphs[item].Sentences[sentence].Trim().Length > 0)
                    evidence.Add((item, paragraphs[item].Sentences[sentence].Trim()));
            }

            if (evidence.Count > 0)
                hotpotCases.Add((context, question.GetProperty("question").GetString()!, evidence));
        }

        foreach (var (name, cases) in new[] { ("SQuAD (ExpMRC evidence sentences, 5 paragraphs)", squadCases), ("HotpotQA (supporting facts, 10 paragraphs)", hotpotCases) })
        {
            var sample = cases.Take(quick ? 30 : 100).ToList();
            say($"\n## Evidence retention: {name}\n\n{sample.Count} questions; an evidence sentence counts as kept when 90% of its characters survive; \"all\" = every evidence sentence of the question kept.\n");
            say("| method | 2x | 4x | 2x, all | 4x, all |");
            say("|---|---|---|---|---|");
            foreach (var method in Methods)
            {
                var row = new List<string>();
                var whole = new List<string>();
                foreach (var ratio in new[] { 2, 4 })
                {
                    int kept = 0, total = 0, complete = 0;
                    foreach (var (context, question, evidence) in sample)
                    {
                        var (_, spans) = await CompressAsync(compressor, method, context, question, 1.0 / ratio);
                        var all = true;
                        foreach (var (item, sentence) in evidence)
                        {
                            total++;
                            var start = context[item].IndexOf(sentence, StringComparison.Ordinal);
                            if (start >= 0 && Coverage(spans.Where(s => s.Context == item), start, start + sentence.Length) >= 0.9)
                                kept++;
                            else
                                all = false;
                        }

                        complete += all ? 1 : 0;
                    }

                    row.Add($"{(double)kept / total:P0}");
                    whole.Add($"{(double)complete / sample.Count:P0}");
                }

                row.AddRange(whole);

                say($"| {method} | {string.Join(" | ", row)} |");
            }
        }
    }

    private static async Task CodeAsync(PromptCompressor compressor, bool quick, Action<string> say, bool show)
    {
        const string Library = "/usr/lib/python3.11";
        if (!Directory.Exists(Library))
        {
            say("\n## Code: skipped (no /usr/lib/python3.11 on this machine)");
            return;
        }

        var cases = new List<(string Code, string Function, List<string> Relevant)>();
        foreach (var file in Directory.EnumerateFiles(Library, "*.py").Order(StringComparer.Ordinal))
        {
            var code = await File.ReadAllTextAsync(file);
            var tokens = Cl100k.CountTokens(code);
            if (tokens is < 3000 or > 12000)
                continue;
            var functions = TopLevelFunctions().Matches(code).Select(m => (Name: m.Groups[1].Value, Start: m.Index)).ToList();
            for (var i = 0; i < functions.Count; i++)
            {
                var end = i + 1 < functions.Count ? functions[i + 1].Start : code.Length;
                var body = code[functions[i].Start..end];
                var callees = functions.Where(f => f.Name != functions[i].Name && Regex.IsMatch(body, $@"\b{Regex.Escape(f.Name)}\(")).Select(f => f.Name).Distinct().ToList();
                if (callees.Count is >= 1 and <= 3 && body.Split('\n').Length is >= 6 and <= 60)
                {
                    cases.Add((code, functions[i].Name, [functions[i].Name, .. callees]));
                    break;
                }
            }

            if (cases.Count >= (quick ? 8 : 25))
                break;
        }

        var rate = 1 / 5.6;
        say($"\n## Code: relevant-function retention at 5.6x\n\n{cases.Count} Python standard library modules of 3k–12k tokens; the question names one function; relevant = it and the module functions it calls ({cases.Sum(c => c.Relevant.Count)} functions); kept = its `def` line survives.\n");
        say("| method | relevant functions kept | the function asked about kept | achieved ratio |");
        say("|---|---|---|---|");
        foreach (var method in (string[])["longcodezip", "longcodezip-ami", "segment", "truncate", "random", "bm25"])
        {
            int kept = 0, total = 0, asked = 0;
            var ratios = new List<double>();
            foreach (var (code, function, relevant) in cases)
            {
                var question = $"What does {function} do, and how does it work?";
                var (prompt, _) = await CompressAsync(compressor, method, [code], question, rate, "python");
                if (show && method == "longcodezip")
                    Console.WriteLine($"---- {function} ({string.Join(", ", relevant)})\n" + string.Join("\n", prompt.Split('\n').Where(l => l.StartsWith("def ", StringComparison.Ordinal) || l.StartsWith("class ", StringComparison.Ordinal) || l.StartsWith("    def ", StringComparison.Ordinal))));
                ratios.Add((double)Cl100k.CountTokens(string.Join("\n\n", code, question)) / Cl100k.CountTokens(prompt));
                foreach (var name in relevant)
                {
                    total++;
                    if (Regex.IsMatch(prompt, $@"def {Regex.Escape(name)}\("))
                    {
                        kept++;
                        asked += name == function ? 1 : 0;
                    }
                }
            }

            var label = method switch
            {
                "longcodezip" => "longcodezip (names and calls first, then AMI: the default)",
                "longcodezip-ami" => "longcodezip, AMI order only (the paper's coarse stage)",
                _ => method,
            };
            say($"| {label} | {(double)kept / total:P0} | {(double)asked / cases.Count:P0} | {ratios.Average():F1}x |");
        }
    }

    private static async Task SpeedAsync(PromptCompressor compressor, OnnxDecoder decoder, OnnxEmbedder encoder, string data, Action<string> say)
    {
        say("\n## Speed\n");
        say("| measure | value |");
        say("|---|---|");
        var context = InsertNeedle(Haystack(data)[50_000..], 8192, 0.5, "The pass key is 55555. Remember it.");
        var origin = Cl100k.CountTokens(context);

        // Coarse-to-fine: cold (every sentence embedded), then the same text again (vectors kept per tenant).
        var coarse = new PromptCompressor(Cl100k, null, null, new SqliteSegmentCache(Path.Combine(Path.GetTempPath(), $"rag-speed-{Guid.NewGuid():N}.db")),
            new CompressorOptions(), new EncoderSimilarity(encoder, encoder.Config.HybridDenseWeight ?? 0.5));
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
                    Enum.Parse<CompressionMethod>(method, ignoreCase: true)), CancellationToken.None, decoder.Tokenizer);
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

    /// <summary>Runs a method or a baseline; returns the prompt and the kept spans.</summary>
    private static async Task<(string Prompt, IReadOnlyList<KeptSpan> Spans)> CompressAsync(
        PromptCompressor compressor, string method, List<string> context, string question, double rate, string? contentType = null)
    {
        if (method == "bm25")
            return Bm25(context, question, rate);
        // "coarse_to_fine:bm25" = the method with a rank_method; a "+first" ending keeps each context's first sentence first;
        // "+late" ranks by sentence vectors pooled from one encoder pass over each context item.
        var centred = method.EndsWith("+latec", StringComparison.Ordinal);
        var late = centred || method.EndsWith("+late", StringComparison.Ordinal);
        method = method.Replace("+latec", "", StringComparison.Ordinal).Replace("+late", "", StringComparison.Ordinal);
        if (Variants.TryGetValue(method, out var variant))
            (compressor, method) = variant;
        var keepFirst = method.EndsWith("+first", StringComparison.Ordinal) ? 1 : 0;
        Rag.Compression.Ports.ISentenceSimilarity? relevance = null;
        if (late && Late is var (encoder, fallback))
        {
            var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
            foreach (var item in context)
            {
                // As ingestion stores them: pooled once per text, read back for every question and ratio.
                if (!LateVectors.TryGetValue(item, out var known))
                {
                    var spans = SentenceSplitter.Split(item).Select(x => (x.Start, x.Length)).ToList();
                    var pooled = encoder.EmbedSpansLate(item, spans);
                    known = [.. spans.Select((x, i) => (item.Substring(x.Start, x.Length), pooled[i]))];
                    LateVectors[item] = known;
                }

                foreach (var (sentence, vector) in centred ? Centre(known) : known)
                    vectors.TryAdd(sentence, vector);
            }

            var query = (await encoder.EmbedQueriesAsync([question], CancellationToken.None))[0].Vector;
            relevance = new Rag.Engine.Compression.StoredUnitSimilarity(
                fallback, async (asked, ct) => (await encoder.EmbedQueriesAsync([asked], ct))[0].Vector, question, query, vectors);
        }

        method = method.Replace("+first", "", StringComparison.Ordinal);
        RankMethod? rank = method.Split(':') is [_, var ranker] ? Enum.Parse<RankMethod>(ranker.Replace("longllmlingua", "LongLlmLingua", StringComparison.Ordinal), ignoreCase: true) : null;
        var result = await compressor.CompressAsync(
            new CompressionRequest(context, null, question, rate, null, CompressionMethodNames.Parse(method.Split(':')[0]), contentType, RankMethod: rank, KeepFirstSentence: keepFirst),
            CancellationToken.None, null, relevance);
        return (result.CompressedPrompt, result.KeptSpans);
    }

    /// <summary>Late vectors with half their context's mean taken out, renormalised: sentences of one context drawn apart.</summary>
    private static List<(string Sentence, float[] Vector)> Centre(List<(string Sentence, float[] Vector)> known)
    {
        var mean = new float[known[0].Vector.Length];
        foreach (var (_, vector) in known)
            System.Numerics.Tensors.TensorPrimitives.Add(mean, vector, mean);
        System.Numerics.Tensors.TensorPrimitives.Divide(mean, known.Count * 2f, mean);
        return [.. known.Select(k =>
        {
            var v = new float[mean.Length];
            System.Numerics.Tensors.TensorPrimitives.Subtract(k.Vector, mean, v);
            System.Numerics.Tensors.TensorPrimitives.Divide(v, Math.Max(1e-12f, System.Numerics.Tensors.TensorPrimitives.Norm(v)), v);
            return (k.Sentence, v);
        })];
    }

    /// <summary>Baseline: BM25 sentence selection under the budget, sentences in their original order.</summary>
    private static (string Prompt, IReadOnlyList<KeptSpan> Spans) Bm25(List<string> context, string question, double rate)
    {
        var origin = Cl100k.CountTokens(string.Join("\n\n", [.. context, question]));
        var budget = (int)(origin * rate) - Cl100k.CountTokens(question) - 2;
        var passages = context.Select((c, i) => new Passage(i.ToString(CultureInfo.InvariantCulture), c, i)).ToList();
        var selected = new ExtractiveSelector(Cl100k).Select(question, passages, Math.Max(1, budget))
            .OrderBy(s => int.Parse(s.Passage.Id, CultureInfo.InvariantCulture)).ThenBy(s => s.Start).ToList();
        var spans = selected.Select(s => new KeptSpan(int.Parse(s.Passage.Id, CultureInfo.InvariantCulture), s.Start, s.Start + s.Length)).ToList();
        return (string.Join(" ", selected.Select(s => s.Text)) + "\n\n" + question, spans);
    }

    /// <summary>
    /// NQ "lost in the middle" (the setting LongLLMLingua was measured on): a question, its gold passage
    /// among 19 other questions' gold passages, the gold one at position 0, 4, 9, 14 or 19; kept = one of
    /// the answer strings survives.
    /// </summary>
    private static async Task NqAsync(PromptCompressor compressor, string data, bool quick, Action<string> say)
    {
        int[] positions = [0, 4, 9, 14, 19];
        int[] ratios = [2, 4, 10, 20];
        var cases = await NqCasesAsync(data, quick ? 60 : 300, positions);
        var tokens = cases.Average(c => Cl100k.CountTokens(string.Join("\n\n", c.Context)));
        say($"\n## Answer retention: NQ, 20 passages (lost in the middle)\n\n{cases.Count} questions, ~{tokens:F0} tokens of context each, the gold passage at positions {string.Join(", ", positions)} in turn; kept = an answer string survives (case-insensitive). `coarse_to_fine` ranks sentences by `rank_method` hybrid (BM25 + arctic-embed-xs, the service's default), `:dense`, `:bm25`.\n");
        say("| method | " + string.Join(" | ", ratios.Select(r => $"{r}x")) + " | 10x by gold position (0/4/9/14/19) |");
        say("|---|" + string.Concat(ratios.Select(_ => "---|")) + "---|");
        foreach (var method in Methods.Where(m => !m.StartsWith("gemfilter", StringComparison.Ordinal) || !quick))
        {
            var row = new List<string>();
            var byPosition = positions.ToDictionary(p => p, _ => (Kept: 0, Total: 0));
            foreach (var ratio in ratios)
            {
                var kept = 0;
                foreach (var (context, question, answers, position) in cases)
                {
                    var (prompt, _) = await CompressAsync(compressor, method, context, question, 1.0 / ratio);
                    var survived = answers.Any(a => prompt.Contains(a, StringComparison.OrdinalIgnoreCase));
                    kept += survived ? 1 : 0;
                    if (ratio == 10)
                        byPosition[position] = (byPosition[position].Kept + (survived ? 1 : 0), byPosition[position].Total + 1);
                }

                row.Add($"{(double)kept / cases.Count:P0}");
            }

            say($"| {method} | {string.Join(" | ", row)} | {string.Join(" / ", positions.Select(p => $"{(double)byPosition[p].Kept / byPosition[p].Total:P0}"))} |");
        }
    }

    /// <summary>
    /// The first <paramref name="count"/> NQ questions, each with its gold passage among 19 other questions' gold
    /// passages that hold none of its answers, the gold one at each of <paramref name="positions"/> in turn.
    /// </summary>
    private static async Task<List<(List<string> Context, string Question, List<string> Answers, int Position)>> NqCasesAsync(string data, int count, int[] positions)
    {
        using var file = new GZipStream(File.OpenRead(Path.Combine(data, "nq-lost-in-the-middle", "nq-open-oracle.jsonl.gz")), CompressionMode.Decompress);
        using var reader = new StreamReader(file);
        var items = new List<(string Question, List<string> Answers, string Passage)>();
        while (await reader.ReadLineAsync() is { } line)
        {
            var json = JsonDocument.Parse(line).RootElement;
            var gold = json.GetProperty("ctxs")[0];
            items.Add((json.GetProperty("question").GetString()!, [.. json.GetProperty("answers").EnumerateArray().Select(a => a.GetString()!)],
                $"Document (Title: {gold.GetProperty("title").GetString()}) {gold.GetProperty("text").GetString()}"));
        }

        var random = new Random(11);
        var cases = new List<(List<string> Context, string Question, List<string> Answers, int Position)>();
        for (var q = 0; q < count; q++)
        {
            // Distractors: other questions' gold passages that do not contain this question's answers.
            var distractors = new List<string>();
            while (distractors.Count < 19)
            {
                var other = items[random.Next(items.Count)];
                if (other.Passage != items[q].Passage && !items[q].Answers.Any(a => other.Passage.Contains(a, StringComparison.OrdinalIgnoreCase)) && !distractors.Contains(other.Passage))
                    distractors.Add(other.Passage);
            }

            var position = positions[q % positions.Length];
            distractors.Insert(position, items[q].Passage);
            cases.Add((distractors, items[q].Question, items[q].Answers, position));
        }

        return cases;
    }

    private static double Coverage(IEnumerable<KeptSpan> spans, int start, int end)
    {
        var covered = 0;
        foreach (var span in spans)
            covered += Math.Max(0, Math.Min(end, span.End) - Math.Max(start, span.Start));
        return (double)covered / Math.Max(1, end - start);
    }

    private static string Haystack(string data)
    {
        var text = File.ReadAllText(Path.Combine(data, "niah-haystack", "pride_and_prejudice.txt"));
        var start = text.IndexOf("It is a truth universally acknowledged", StringComparison.Ordinal);
        var end = text.IndexOf("End of the Project Gutenberg", StringComparison.OrdinalIgnoreCase);
        return text[Math.Max(0, start)..(end > 0 ? end : text.Length)].Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    /// <summary>The first <paramref name="tokens"/> tokens of the haystack with the needle between sentences at the depth.</summary>
    private static string InsertNeedle(string haystack, int tokens, double depth, string needle)
    {
        var ids = Cl100k.EncodeToIds(haystack, tokens, out var normalized, out var consumed);
        var text = haystack[..consumed];
        var at = (int)(text.Length * depth);
        var sentenceEnd = text.IndexOf(". ", at, StringComparison.Ordinal);
        at = depth >= 1 || sentenceEnd < 0 ? text.Length : sentenceEnd + 2;
        return text[..at] + (at == text.Length ? " " : "") + needle + " " + text[at..];
    }

    private static List<string> Rotate(List<string> items, int by) => [.. items.Skip(by), .. items.Take(by)];

    private static void Plot(Dictionary<string, Dictionary<int, double>> needles, string path)
    {
        var plot = new ScottPlot.Plot();
        foreach (var (method, shares) in needles)
        {
            var line = plot.Add.Scatter(shares.Keys.Select(r => Math.Log10(r)).ToArray(), shares.Values.Select(v => v * 100).ToArray());
            line.LegendText = method;
        }

        plot.Title("Needle retention by compression ratio");
        plot.XLabel("ratio (log10: 2x, 4x, 10x, 100x)");
        plot.YLabel("needles kept (%)");
        plot.ShowLegend();
        plot.SavePng(path, 800, 500);
    }

    [GeneratedRegex(@"(?m)^def (\w+)\(")]
    private static partial Regex TopLevelFunctions();
}

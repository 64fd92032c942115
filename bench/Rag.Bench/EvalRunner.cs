using Rag.Text;
namespace Rag.Bench;

/// <summary>
/// The compression evaluation: needle retention, evidence retention (SQuAD, HotpotQA), relevant
/// code retention, and speed, for each method next to the baselines at the same ratio.
///
///   dotnet run -c Release --project bench/Rag.Bench -- eval [--quick] [--only needles|nq|units|leval|evidence|code|speed|ask|techdocs]
///       [--methods coarse_to_fine,bm25,...] [--out docs/compression-results.md]
///
/// Needs ../shared/data (the evaluation data), for the code set /usr/lib/python3.11, and for techdocs the documents
/// bench/techdocs/collect.sh gathers.
/// </summary>
internal static partial class EvalRunner
{
    private static readonly Tokenizer Cl100k = TiktokenTokenizer.CreateForEncoding("cl100k_base");
    private static string[] Methods = ["coarse_to_fine", "coarse_to_fine:dense", "coarse_to_fine:bm25", "coarse_to_fine:longllmlingua", "coarse_to_fine+first", "segment", "gemfilter", "gemfilter-sentences", "truncate", "random", "bm25"];

    /// <summary>The encoder, for rows ending in "+late": sentence vectors pooled from one pass over each context item (late chunking).</summary>
    private static (OnnxEmbedder Encoder, EncoderSimilarity Fallback)? Late;

    private static readonly Dictionary<string, List<(string Sentence, float[] Vector)>> LateVectors = new(StringComparer.Ordinal);

    private static readonly Dictionary<string, List<(string Sentence, float[] Vector)>> AloneVectors = new(StringComparer.Ordinal);

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
        var similarity = new EncoderSimilarity(encoder, encoder.Config.SentenceDenseWeight ?? encoder.Config.HybridDenseWeight ?? 0.5, capacity: 1_000_000);
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
        // The methods and what each keeps, from the registry the service reads too.
        Say("Methods: " + string.Join("; ", Rag.Compression.Methods.CompressionMethods.All.Select(m => $"`{m.Description.Method.Name}`: {m.Description.Summary}")) + "\n");

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
        if (only is null or "techdocs")
            await TechDocsAsync(Say);
        await File.WriteAllTextAsync(output, report.ToString());
        Directory.Delete(cacheFolder, recursive: true);
    }

    /// <summary>Runs a method or a baseline; returns the prompt and the kept spans.</summary>
    private static async Task<(string Prompt, IReadOnlyList<KeptSpan> Spans)> CompressAsync(
        PromptCompressor compressor, string method, List<string> context, string question, double rate, string? contentType = null)
    {
        if (method == "bm25")
            return Bm25(context, question, rate);
        // "coarse_to_fine:bm25" = the method with a rank_method; a "+first" ending keeps each context's first sentence first;
        // "+late" ranks by sentence vectors pooled from one encoder pass over each context item.
        // "+stored" ranks as /ask does now: each unit's vector read alone, blended with its item's mean (StoredUnitSimilarity).
        var storedUnits = method.EndsWith("+stored", StringComparison.Ordinal);
        method = method.Replace("+stored", "", StringComparison.Ordinal);
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
                    var spans = SentenceSplitter.Split(item).Select(x => (x.Start, x.End)).ToList();
                    var pooled = encoder.EmbedSpansLate(item, spans);
                    known = [.. spans.Select((x, i) => (item[x.Start..x.End], pooled[i]))];
                    LateVectors[item] = known;
                }

                foreach (var (sentence, vector) in centred ? Centre(known) : known)
                    vectors.TryAdd(sentence, vector);
            }

            var query = (await encoder.EmbedQueriesAsync([question], CancellationToken.None))[0].Vector;
            relevance = new Rag.Engine.Compression.StoredUnitSimilarity(
                fallback, async (asked, ct) => (await encoder.EmbedQueriesAsync([asked], ct))[0].Vector, question, query, vectors);
        }

        if (storedUnits && Late is var (unitEncoder, unitFallback))
        {
            var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
            var contexts = new Dictionary<string, float[]>(StringComparer.Ordinal);
            foreach (var item in context)
            {
                if (!AloneVectors.TryGetValue(item, out var known))
                {
                    var texts = UnitSplitter.Split(item).Select(x => item.Substring(x.Start, x.Length)).ToList();
                    var embedded = await unitEncoder.EmbedAsync(texts, CancellationToken.None);
                    known = [.. texts.Select((t, i) => (t, embedded[i].Vector))];
                    AloneVectors[item] = known;
                }

                var mean = Rag.Engine.Answers.AskService.Mean(known.Select(k => k.Vector));
                foreach (var (sentence, vector) in known)
                {
                    if (vectors.TryAdd(sentence, vector) && mean is not null)
                        contexts[sentence] = mean;
                }
            }

            var query = (await unitEncoder.EmbedQueriesAsync([question], CancellationToken.None))[0].Vector;
            relevance = new Rag.Engine.Compression.StoredUnitSimilarity(
                unitFallback, async (asked, ct) => (await unitEncoder.EmbedQueriesAsync([asked], ct))[0].Vector, question, query, vectors, contexts);
        }

        method = method.Replace("+first", "", StringComparison.Ordinal);
        RankMethod? rank = method.Split(':') is [_, var ranker] ? Enum.Parse<RankMethod>(ranker.Replace("longllmlingua", "LongLlmLingua", StringComparison.Ordinal), ignoreCase: true) : null;
        var result = await compressor.CompressAsync(
            new CompressionRequest(context, null, question, rate, null, CompressionMethod.Parse(method.Split(':')[0]), contentType, RankMethod: rank, KeepFirstSentence: keepFirst),
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
        var spans = selected.Select(s => new KeptSpan(int.Parse(s.Passage.Id, CultureInfo.InvariantCulture), s.Start, s.End)).ToList();
        return (string.Join(" ", selected.Select(s => s.Text)) + "\n\n" + question, spans);
    }

    private static double Coverage(IEnumerable<KeptSpan> spans, int start, int end)
    {
        var covered = 0;
        foreach (var span in spans)
            covered += Math.Max(0, Math.Min(end, span.End) - Math.Max(start, span.Start));
        return (double)covered / Math.Max(1, end - start);
    }

    private static List<string> Rotate(List<string> items, int by) => [.. items.Skip(by), .. items.Take(by)];
}

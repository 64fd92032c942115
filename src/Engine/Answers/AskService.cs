using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Options;
using Rag.Compression;
using Rag.Compression.Extractive;
using Rag.Compression.Ports;
using Rag.Engine.Compression;
using Rag.Engine.Configuration;
using Rag.Engine.Diagnostics;
using Rag.Engine.Models;
using Rag.Retrieval.Chunking;
using Rag.Engine.Search;
using Rag.Retrieval.Stores;
using Rag.Retrieval.Vectors;
using Rag.Text;

namespace Rag.Engine.Answers;

/// <summary>
/// Answers a question from a collection: retrieve, select the best sentences under the budget (BM25
/// fused with the encoder's sentence similarity),
/// then either generate the answer from them with the configured decoder (the sentences become
/// numbered sources in the prompt, and the citations are those sources) or, with no decoder, answer
/// with the sentences themselves, each cited to its document, chunk and character span.
/// Unit similarity comes from the unit vectors stored at ingestion and the question's vector from
/// search: no encoder pass over the retrieved text.
/// </summary>
public sealed class AskService(
    SearchService search, ExtractiveSelector selector, PromptCompressor compressor, IVectorIndex vectorIndex, ITextEmbedder? embedder, ITextGenerator? generator, IOptions<RagOptions> options, RagMetrics metrics)
{
    internal const string ExtractiveNote =
        "No generative model is configured: the answer quotes the best-matching sentences of the retrieved chunks.";

    internal const string NothingFound = "Nothing in the collection matches the question.";

    /// <summary>Whether answers are generated (a decoder is configured) or extractive.</summary>
    public bool Generates => generator is not null;

    /// <summary>The whole answer at once (<see cref="StreamAsync"/> without the pieces).</summary>
    public async Task<AskResult> AskAsync(string collection, AskQuery query, CancellationToken cancellationToken)
    {
        AskResult? result = null;
        await foreach (var item in StreamAsync(collection, query, cancellationToken))
            result = item.Result ?? result;
        return result!;
    }

    /// <summary>
    /// The answer as it is made: pieces of text, then one last event with the whole result. Read top to bottom:
    /// retrieve, then compress (when asked) or select sentences, then — with a generator — fit the prompt and generate.
    /// </summary>
    public async IAsyncEnumerable<AskEvent> StreamAsync(string collection, AskQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var total = Stopwatch.StartNew();
        var timings = new Dictionary<string, double>();
        using var span = Contracts.RagTracing.Start("rag.ask");
        span?.SetTag("rag.collection", collection).SetTag("rag.top_k", query.TopK).SetTag("rag.budget_tokens", query.BudgetTokens);

        // 1. Retrieve: the chunks, and the encoder's sentence relevance from their stored unit vectors.
        var outcome = await search.SearchAsync(collection, new SearchQuery(query.Question, query.TopK, query.Tags, query.Mode, query.Scope), cancellationToken);
        timings["retrieve"] = Ms(total.Elapsed);
        var hits = outcome.Results;
        var similarity = await StoredSimilarityAsync(collection, query.Question, outcome, cancellationToken);

        // 2. Compress, when asked: the compressed chunks become the sources of a generated answer, and the
        //    compressed prompt goes back to callers who bring their own LLM.
        var (compressed, compressedSources) = await CompressAsync(collection, query, hits, similarity, timings, cancellationToken);

        // 3. Select: the best sentences under the budget — the answer itself without a generator, the generator's
        //    sources when nothing was compressed.
        IReadOnlyList<SelectedSentence> selected = [];
        var citations = new List<Citation>();
        if (generator is null || compressedSources is not { Count: > 0 })
            (selected, citations) = await SelectAsync(collection, query, hits, similarity, timings, cancellationToken);

        var answers = new AnswerAssembly(metrics, outcome, compressed, timings, total, span);
        if (generator is not { } decoder || (citations.Count == 0 && compressedSources is not { Count: > 0 }))
        {
            var answer = string.Join(" ", citations.Select(c => $"{c.Quote} [{c.Number}]"));
            if (answer.Length > 0)
                yield return new AskEvent(answer, null);
            yield return new AskEvent(null, answers.Finish(answer, "extractive", citations.Count == 0 ? NothingFound : ExtractiveNote, citations, selected.Sum(s => s.Tokens), null));
            yield break;
        }

        // 4. Fit the prompt: as many sources as the generator's context holds next to the answer.
        var selectedTokens = citations.ToDictionary(c => c.Number, c => selected.Count >= c.Number ? selected[c.Number - 1].Tokens : 0);
        if (compressedSources is { Count: > 0 })
        {
            citations = compressedSources;
            selectedTokens = citations.ToDictionary(c => c.Number, c => compressor.BudgetTokenizer.CountTokens(c.Quote));
        }

        var settings = options.Value.Generation;
        var request = query.Generation ?? new GenerationRequest();
        var maxTokens = request.MaxTokens ?? settings.MaxTokens;
        var (prompt, kept) = FitPrompt(decoder, settings.PromptTemplate, query.Question, citations, maxTokens);
        var sourcesDropped = citations.Count - kept;
        citations = [.. citations.Take(kept)];
        var generation = new GenerationOptions(
            Math.Min(maxTokens, decoder.MaxPositions - prompt.Count),
            request.Temperature ?? settings.Temperature,
            request.TopP ?? settings.TopP,
            request.Seed,
            request.Stop ?? [.. settings.Stop]);

        // 5. Generate, streaming the text as it comes.
        var text = new StringBuilder();
        GenerationChunk? last = null;
        await foreach (var chunk in decoder.GenerateAsync(prompt, generation, cancellationToken))
        {
            // Leading whitespace of the answer is dropped, not streamed.
            var piece = text.Length == 0 ? chunk.Text.TrimStart() : chunk.Text;
            text.Append(piece);
            last = chunk;
            if (piece.Length > 0)
                yield return new AskEvent(piece, null);
        }

        var stats = last!.Stats!;
        timings["prefill"] = stats.PrefillMs;
        timings["decode"] = stats.DecodeMs;
        metrics.Generated(stats.PromptTokens, stats.GeneratedTokens);
        var figures = new GenerationFigures(decoder.ModelId, stats.PromptTokens, stats.GeneratedTokens, last.FinishReason!, sourcesDropped);
        var note = $"Generated by {decoder.ModelId} from the numbered sources given to it; each citation is one of those sources.";
        yield return new AskEvent(null, answers.Finish(text.ToString().TrimEnd(), "generative", note, citations, citations.Sum(c => selectedTokens[c.Number]), figures));
    }

    /// <summary>
    /// The retrieved chunks compressed with the question, and one source per chunk that kept anything; nothing when the
    /// query asks for no compression. Budgets are cl100k tokens, as budget_tokens is, so the chunks' counts from
    /// ingestion stand in for tokenizing the retrieved text again.
    /// </summary>
    private async Task<(CompressionResult? Compressed, List<Citation>? Sources)> CompressAsync(
        string collection, AskQuery query, IReadOnlyList<SearchResult> hits, ISentenceSimilarity? similarity, Dictionary<string, double> timings, CancellationToken cancellationToken)
    {
        if (query.Compression is not { } compression || compression.Method == CompressionMethod.None || hits.Count == 0)
            return (null, null);
        var clock = Stopwatch.StartNew();
        var tokenizer = compressor.BudgetTokenizer;
        var target = compression.TargetTokens
            ?? (compression.Rate is null ? query.BudgetTokens + tokenizer.CountTokens(query.Question) + 2 : null);
        var compressed = await compressor.CompressAsync(
            // Retrieved text is data: <keep> in a document is not an instruction to the compressor.
            new CompressionRequest([.. hits.Select(h => h.Text)], null, query.Question, compression.Rate, target, compression.Method, KeepMarkup: false, RankMethod: compression.RankMethod,
                Scope: "collection:" + collection, // whoever may ask this collection may read its text
                KeepFirstSentence: compression.KeepFirstSentence, KeepLastSentence: compression.KeepLastSentence,
                ContextTokens: [.. hits.Select(h => h.TokenCount)]),
            cancellationToken,
            tokenizer,
            similarity);
        timings["compress"] = Ms(clock.Elapsed);
        metrics.Compressed(compressed.Method.Name, compressed.OriginTokens, compressed.CompressedTokens, clock.Elapsed);
        return (compressed, SourcesOf(hits, compressed));
    }

    /// <summary>The best sentences of the retrieved chunks under budget_tokens (BM25 fused with the encoder's similarity, weighted as hybrid search is), each cited to its span.</summary>
    private async Task<(IReadOnlyList<SelectedSentence> Selected, List<Citation> Citations)> SelectAsync(
        string collection, AskQuery query, IReadOnlyList<SearchResult> hits, ISentenceSimilarity? similarity, Dictionary<string, double> timings, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var span = Contracts.RagTracing.Start("rag.select");
        var passages = hits.Select((hit, rank) => new Passage(hit.ChunkId, hit.Text, rank)).ToList();
        var selected = await selector.SelectAsync(query.Question, passages, query.BudgetTokens, similarity, "collection:" + collection, cancellationToken);
        span?.SetTag("rag.sentences", selected.Count).SetTag("rag.tokens", selected.Sum(s => s.Tokens)).SetTag("rag.budget_tokens", query.BudgetTokens);
        var byChunk = hits.ToDictionary(h => h.ChunkId);
        List<Citation> citations = [.. selected.Select((sentence, i) =>
        {
            var hit = byChunk[sentence.Passage.Id];
            var start = hit.Start + sentence.Start;
            return new Citation(i + 1, hit.DocumentId, hit.ChunkId, start, start + sentence.Length, sentence.Text, Math.Round(sentence.Score, 4));
        })];
        timings["select"] = Ms(clock.Elapsed);
        return (selected, citations);
    }

    /// <summary>The figures every answer carries, and the metrics recorded when it is finished.</summary>
    private sealed class AnswerAssembly(RagMetrics metrics, SearchOutcome outcome, CompressionResult? compressed, Dictionary<string, double> timings, Stopwatch total, Activity? span)
    {
        public AskResult Finish(string answer, string answerMode, string note, IReadOnlyList<Citation> cited, int returned, GenerationFigures? generated)
        {
            timings["total"] = Ms(total.Elapsed);
            var retrieved = outcome.Results.Sum(h => h.TokenCount);
            var compression = compressed is null ? null : new CompressionFigures(
                compressed.Method.Name, compressed.OriginTokens, compressed.CompressedTokens, compressed.Ratio,
                compressed.BudgetMet, compressed.CacheHits, compressed.CacheMisses);
            var figures = new AnswerFigures(
                retrieved,
                returned,
                returned == 0 ? 0 : Math.Round((double)retrieved / returned, 2),
                outcome.Results.Count,
                timings,
                outcome.Mode.ToString().ToLowerInvariant(),
                generated,
                compression);
            metrics.Answered(answerMode, figures, total.Elapsed);
            span?.SetTag("rag.answer.mode", answerMode)
                .SetTag("rag.search.mode", figures.SearchMode)
                .SetTag("rag.chunks", figures.ChunksRetrieved)
                .SetTag("rag.tokens.retrieved", retrieved)
                .SetTag("rag.tokens.returned", returned)
                .SetTag("rag.ratio", figures.Ratio)
                .SetTag("rag.citations", cited.Count);
            return new AskResult(answer, answerMode, note, cited, figures) { CompressedPrompt = compressed?.CompressedPrompt };
        }
    }

    /// <summary>
    /// The encoder's similarity for this question over the retrieved chunks, from their stored unit vectors
    /// and the question's vector from search; the encoder itself where either is missing.
    /// </summary>
    private async Task<ISentenceSimilarity?> StoredSimilarityAsync(string collection, string question, SearchOutcome outcome, CancellationToken cancellationToken)
    {
        if (compressor.Similarity is not { } encoder || outcome.QueryVector is not { } vector || embedder is null || outcome.Results.Count == 0)
            return compressor.Similarity;
        var keys = outcome.Results.Select(h => ChunkRef.TryParse(h.ChunkId, out var chunk) ? chunk : new ChunkRef(h.DocumentId, -1)).ToList();
        var stored = await vectorIndex.GetUnitsAsync(collection, embedder.ModelId, keys, cancellationToken);
        var units = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var contexts = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Count; i++)
        {
            var text = outcome.Results[i].Text;
            var chunkUnits = stored.GetValueOrDefault(keys[i]) ?? [];
            var mean = Mean(chunkUnits.Select(u => u.Vector));
            foreach (var unit in chunkUnits)
            {
                if (unit.Start >= 0 && unit.Length > 0 && unit.Start + unit.Length <= text.Length && units.TryAdd(text.Substring(unit.Start, unit.Length), unit.Vector) && mean is not null)
                    contexts[text.Substring(unit.Start, unit.Length)] = mean;
            }
        }

        return new StoredUnitSimilarity(
            encoder, async (asked, ct) => (await embedder.EmbedQueriesAsync([asked], ct))[0].Vector, question, vector, units, contexts);
    }

    /// <summary>The normalised mean of the vectors (null when there are none): what a chunk's units are about together.</summary>
    internal static float[]? Mean(IEnumerable<float[]> vectors) =>
        vectors.Select(v => new Embedding(v, 1, false)).ToList() is { Count: > 0 } parts ? Embedding.Pool(parts).Vector : null;

    /// <summary>One source per retrieved chunk that kept anything: its kept text, cited from the first kept character to the last.</summary>
    private static List<Citation> SourcesOf(IReadOnlyList<SearchResult> hits, CompressionResult compressed)
    {
        var sources = new List<Citation>();
        foreach (var group in compressed.KeptSpans.GroupBy(s => s.Context).OrderBy(g => g.Key))
        {
            var hit = hits[group.Key];
            var spans = group.OrderBy(s => s.Start).ToList();
            var quote = string.Join(" ", spans.Select(s => hit.Text[s.Start..s.End].Trim()));
            sources.Add(new Citation(sources.Count + 1, hit.DocumentId, hit.ChunkId, hit.Start + spans[0].Start, hit.Start + spans[^1].End, quote, hit.Score));
        }

        return sources;
    }

    /// <summary>
    /// The prompt's token ids with as many sources as fit the decoder's context next to
    /// <paramref name="maxTokens"/> of answer (the last, lowest-ranked sources go first), and how many were kept.
    /// </summary>
    internal static (IReadOnlyList<int> Prompt, int Kept) FitPrompt(ITextGenerator decoder, string template, string question, IReadOnlyList<Citation> citations, int maxTokens)
    {
        var room = decoder.MaxPositions - Math.Min(maxTokens, decoder.MaxPositions / 2);
        for (var kept = citations.Count; ; kept--)
        {
            var sources = string.Join("\n", citations.Take(kept).Select(c => string.Create(CultureInfo.InvariantCulture, $"[{c.Number}] {c.Quote}")));
            var ids = decoder.Encode(template.Replace("{sources}", sources, StringComparison.Ordinal).Replace("{question}", question, StringComparison.Ordinal), addBos: true);
            if (ids.Count <= room || kept == 0)
                return (ids.Count < decoder.MaxPositions ? ids : ids.Skip(ids.Count - room).ToList(), kept);
        }
    }

    private static double Ms(TimeSpan elapsed) => Math.Round(elapsed.TotalMilliseconds, 2);
}

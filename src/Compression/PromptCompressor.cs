using System.Diagnostics;
using System.Text;
using Microsoft.ML.Tokenizers;
using Rag.Compression.Extractive;
using Rag.Compression.Methods;
using Rag.Compression.Ports;
using Rag.Compression.Text;
using Rag.Contracts;
using Rag.Text;
using Rag.Text.Code;

namespace Rag.Compression;

/// <summary>
/// Compresses a prompt to a token budget. The instruction and question go through intact, and so
/// does every protected span; the context is cut into units (words, or lines for code), each
/// method gives every unit a priority (and LongCodeZip a knapsack choice), and
/// <see cref="BudgetedSelection"/> keeps units until the measured prompt is within 5% of the target.
/// Kept units come out in their original order, and their spans are reported as offsets into the input.
/// </summary>
public sealed class PromptCompressor(
    Tokenizer budgetTokenizer, ITokenScorer? scorer, IAttentionProbe? probe, ISegmentCache cache, CompressorOptions options, ISentenceSimilarity? similarity = null)
{
    private const string Separator = "\n\n";

    private readonly IReadOnlyList<ICompressionMethod> _methods = CompressionMethods.Create(new MethodServices(scorer, probe, cache, options));

    /// <summary>Unit relevance from the encoder, or null (then coarse-to-fine ranks by BM25).</summary>
    public ISentenceSimilarity? Similarity => similarity;

    /// <summary>The tokenizer budgets are counted in unless a request names another.</summary>
    public Tokenizer BudgetTokenizer => budgetTokenizer;

    /// <summary>Whether <paramref name="method"/> can run here (model-based methods need the scorer).</summary>
    public bool Supports(CompressionMethod method) =>
        method == CompressionMethod.Auto || method == CompressionMethod.None || Find(method)?.IsAvailable == true;

    private ICompressionMethod? Find(CompressionMethod method) => _methods.FirstOrDefault(m => m.Description.Method == method);

    /// <summary>Compresses the request's prompt to its budget.</summary>
    /// <param name="request">What to compress and how.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    /// <param name="tokenizer">The tokenizer budgets are counted in (default: <see cref="BudgetTokenizer"/>).</param>
    /// <param name="relevance">Unit relevance for this request in place of the compressor's own (vectors stored at ingestion).</param>
    public async Task<CompressionResult> CompressAsync(
        CompressionRequest request, CancellationToken cancellationToken, Tokenizer? tokenizer = null, ISentenceSimilarity? relevance = null)
    {
        using var span = RagTracing.Start("rag.compress");
        var result = await CompressCoreAsync(request, cancellationToken, tokenizer, relevance);
        span?.SetTag("rag.compression.method", result.Method.Name)
            .SetTag("rag.compression.origin_tokens", result.OriginTokens)
            .SetTag("rag.compression.compressed_tokens", result.CompressedTokens)
            .SetTag("rag.compression.target_tokens", result.TargetTokens)
            .SetTag("rag.compression.ratio", result.Ratio)
            .SetTag("rag.compression.budget_met", result.BudgetMet)
            .SetTag("rag.compression.cache_hits", result.CacheHits)
            .SetTag("rag.compression.cache_misses", result.CacheMisses);
        return result;
    }

    private async Task<CompressionResult> CompressCoreAsync(
        CompressionRequest request, CancellationToken cancellationToken, Tokenizer? tokenizer, ISentenceSimilarity? relevance)
    {
        var ranker = relevance ?? similarity;
        ArgumentNullException.ThrowIfNull(request);
        var clock = Stopwatch.StartNew();
        tokenizer ??= budgetTokenizer;
        var items = Parse(request);
        var texts = items.Select(i => i.Clean).ToList();
        // Token counts the caller already has (chunks counted at ingestion) spare tokenizing the whole context.
        var known = request.ContextTokens is { } counts && counts.Count == texts.Count && texts.Select((t, i) => t.Length == request.Context[i].Length).All(x => x)
            ? counts
            : null;
        var fixedTokens = tokenizer.CountTokens(Join(request.Instruction, [], request.Question)) + (texts.Count * 2);
        var origin = known is null
            ? tokenizer.CountTokens(Join(request.Instruction, texts, request.Question))
            : fixedTokens - texts.Count + known.Sum(); // one separator token per context
        var target = request.TargetTokens ?? (int)Math.Round(origin * (request.Rate ?? 0.5));
        var (languages, isCode) = Languages(request, texts);
        var method = Resolve(request, isCode, out var note);

        if (method == CompressionMethod.None || target >= origin)
        {
            var all = items.Select((item, i) => new KeptSpan(i, 0, request.Context[i].Length)).Where(s => s.End > 0).ToList();
            var prompt = Join(request.Instruction, texts, request.Question);
            return Result(prompt, origin, origin, target, method, all, 0, 0, clock, note ?? (target >= origin ? "The prompt is already within the budget." : null));
        }

        var chosen = Find(method)!;
        var lineUnits = chosen.Description.LineWords;
        var units = new List<Word>();
        for (var i = 0; i < items.Count; i++)
        {
            var spans = lineUnits ? Words.SplitLines(texts[i]) : Words.Split(texts[i]);
            units.AddRange(known is null || lineUnits
                ? Words.Measure(i, texts[i], spans, tokenizer, items[i].IsProtected)
                : Words.Estimate(i, texts[i], spans, known[i], items[i].IsProtected));
        }

        var contextBudget = Math.Max(0, target - fixedTokens);
        var question = request.Question ?? request.Instruction ?? "";
        var choice = await chosen.ChooseAsync(new MethodInput(request, texts, units, languages, question, contextBudget, ranker), cancellationToken);
        var (priority, initial, hits, misses) = (choice.Priority, choice.Initial, choice.CacheHits, choice.CacheMisses);

        var elision = lineUnits ? languages.Select(l => CodeChunks.Elision(l)).ToList() : null;
        var (keep, tokens) = BudgetedSelection.Select(units, priority, target, fixedTokens,
            mask => tokenizer.CountTokens(Join(request.Instruction, Assemble(texts, units, mask, elision), request.Question)), initial,
            known is null || lineUnits ? null : u => Math.Max(1, tokenizer.CountTokens(texts[u.Item].AsSpan(u.Start, u.End - u.Start))));
        var compressed = Join(request.Instruction, Assemble(texts, units, keep, elision), request.Question);
        return Result(compressed, origin, tokens, target, method, Spans(items, texts, units, keep), hits, misses, clock, note);
    }

    private CompressionMethod Resolve(CompressionRequest request, bool isCode, out string? note)
    {
        note = null;
        var method = request.Method;
        if (method == CompressionMethod.Auto)
        {
            method = isCode ? CompressionMethod.LongCodeZip
                : string.IsNullOrWhiteSpace(request.Question) ? CompressionMethod.Segment : CompressionMethod.CoarseToFine;
            if (!Supports(method))
            {
                note = $"auto chose {method.Name}, which needs a scorer model (Rag:Models:Scorer); none is configured, so the context was truncated instead.";
                method = CompressionMethod.Truncate;
            }
        }
        else if (!Supports(method))
        {
            throw new CompressionRequestException("method", $"'method' {method.Name} needs a scorer model (Rag:Models:Scorer); this service has none.");
        }

        if (Find(method) is { Description.NeedsQuestion: true }
            && string.IsNullOrWhiteSpace(request.Question) && string.IsNullOrWhiteSpace(request.Instruction))
            throw new CompressionRequestException("question", $"'question' is required by {method.Name}: it ranks the context by the question.");
        return method;
    }

    /// <summary>The language of each context item (null: prose, or code of no known language); and whether the content is code.</summary>
    private static (List<string?> Languages, bool IsCode) Languages(CompressionRequest request, IReadOnlyList<string> texts) => request.ContentType?.ToLowerInvariant() switch
    {
        "text" => ([.. texts.Select(_ => (string?)null)], false),
        "code" => ([.. texts.Select(CodeChunks.Detect)], true),
        null => texts.Select(CodeChunks.Detect).ToList() is var detected ? (detected, detected.Any(l => l is not null)) : default,
        var language => ([.. texts.Select(_ => CodeLanguages.Find(language)?.Name)], true),
    };

    private static List<KeepMarkup> Parse(CompressionRequest request)
    {
        if (request.Context is null || request.Context.Count == 0)
            throw new CompressionRequestException("context", "'context' is required: a string or a list of strings.");
        if (request.Rate is { } rate && !CompressionRules.IsRate(rate))
            throw new CompressionRequestException("rate", $"'rate' must be {CompressionRules.RateRule}.");
        if (request.TargetTokens is { } target && !CompressionRules.IsTargetTokens(target))
            throw new CompressionRequestException("target_token", $"'target_token' must be between 1 and {CompressionRules.MaxTargetTokens}.");
        if (request.ContentType is { } type && type.ToLowerInvariant() is not ("text" or "code") && CodeLanguages.Find(type) is null)
            throw new CompressionRequestException("content_type", $"'content_type' must be text, code or one of: {string.Join(", ", CodeLanguages.All.Select(l => l.Name))}.");
        var spans = request.ProtectedSpans ?? [];
        foreach (var span in spans)
        {
            if (span.Context < 0 || span.Context >= request.Context.Count || span.Start < 0 || span.End < span.Start
                || span.End > (request.Context[span.Context]?.Length ?? 0))
                throw new CompressionRequestException("protected_spans", $"Protected span ({span.Context}, {span.Start}, {span.End}) is outside the context.");
        }

        var items = new List<KeepMarkup>();
        for (var i = 0; i < request.Context.Count; i++)
        {
            var text = request.Context[i] ?? throw new CompressionRequestException("context", $"'context' item {i} is null.");
            var parsed = KeepMarkup.Parse(text, spans.Where(s => s.Context == i).Select(s => (s.Start, s.End)), out var error, request.KeepMarkup)
                ?? throw new CompressionRequestException("context", $"'context' item {i}: {error}.");
            items.Add(parsed);
        }

        return items;
    }

    private static List<string> Assemble(IReadOnlyList<string> texts, IReadOnlyList<Word> units, bool[] keep, IReadOnlyList<string>? elision)
    {
        var parts = new StringBuilder[texts.Count];
        var droppedRun = new bool[texts.Count];
        for (var i = 0; i < units.Count; i++)
        {
            var unit = units[i];
            var builder = parts[unit.Item] ??= new StringBuilder();
            if (!keep[i])
            {
                droppedRun[unit.Item] = true;
                continue;
            }

            var piece = texts[unit.Item].AsSpan(unit.Start, unit.Length);
            if (elision is not null && droppedRun[unit.Item])
                builder.Append(builder.Length == 0 ? "" : "\n").Append(elision[unit.Item]);
            droppedRun[unit.Item] = false;
            if (builder.Length == 0)
                piece = elision is null ? piece.TrimStart() : piece.TrimStart("\r\n");
            builder.Append(piece);
        }

        for (var item = 0; item < texts.Count; item++)
        {
            if (elision is not null && droppedRun[item] && parts[item] is { Length: > 0 } tail)
                tail.Append('\n').Append(elision[item]);
        }

        return [.. parts.Select(p => p?.ToString() ?? "").Where(p => p.Length > 0)];
    }

    private static List<KeptSpan> Spans(IReadOnlyList<KeepMarkup> items, IReadOnlyList<string> texts, IReadOnlyList<Word> units, bool[] keep)
    {
        var spans = new List<KeptSpan>();
        for (var i = 0; i < units.Count; i++)
        {
            if (!keep[i])
                continue;
            var unit = units[i];
            var start = unit.Start;
            while (start < unit.End && char.IsWhiteSpace(texts[unit.Item][start]))
                start++;
            var end = unit.End;
            while (i + 1 < units.Count && keep[i + 1] && units[i + 1].Item == unit.Item)
                end = units[++i].End;
            if (end > start)
                spans.Add(new KeptSpan(unit.Item, items[unit.Item].ToOriginal(start), items[unit.Item].ToOriginal(end - 1) + 1));
        }

        return spans;
    }

    private static string Join(string? instruction, IEnumerable<string> context, string? question)
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(instruction))
            parts.Add(instruction);
        parts.AddRange(context.Where(c => c.Length > 0));
        if (!string.IsNullOrWhiteSpace(question))
            parts.Add(question);
        return string.Join(Separator, parts);
    }

    private static CompressionResult Result(string prompt, int origin, int tokens, int target, CompressionMethod method, IReadOnlyList<KeptSpan> spans,
        int hits, int misses, Stopwatch clock, string? note) =>
        new(
            prompt,
            origin,
            tokens,
            tokens == 0 ? 0 : Math.Round((double)origin / tokens, 2),
            origin == 0 ? 1 : Math.Round((double)tokens / origin, 4),
            target,
            tokens <= target * (1 + BudgetedSelection.Tolerance) && (target >= origin || tokens >= target * (1 - BudgetedSelection.Tolerance)),
            method,
            spans,
            hits,
            misses,
            Math.Round(clock.Elapsed.TotalMilliseconds, 2),
            note);
}

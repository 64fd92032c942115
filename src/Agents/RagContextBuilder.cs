using System.Globalization;
using System.Text;
using Rag.Client;

namespace Rag.Agents;

/// <summary>
/// Builds the context for a question: searches every configured collection, keeps the best <c>TopK</c> chunks,
/// compresses them together to the token budget (question-aware), and numbers what was kept of each chunk as a
/// source with its spans in the document — the kept spans Rag's compression returned, mapped onto the chunk's
/// place in its document. Chunks of which nothing was kept are left out.
/// </summary>
public static class RagContextBuilder
{
    /// <summary>The context for <paramref name="question"/>; no sources when nothing was found.</summary>
    public static async Task<RagContext> BuildAsync(IRagRetriever retriever, RagContextOptions options, string question, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(retriever);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(question);
        options.Validate();
        var hits = new List<(string Collection, RagSearchHit Hit)>();
        foreach (var collection in options.Collections)
        {
            var response = await retriever.SearchAsync(collection, new RagSearchRequest(question, options.TopK, options.Tags.Count == 0 ? null : [.. options.Tags], options.SearchMode), cancellationToken);
            hits.AddRange(response.Results.Select(r => (collection, r)));
        }

        var top = hits.OrderByDescending(h => h.Hit.Score).Take(options.TopK).ToList();
        if (top.Count == 0)
            return new RagContext(question, [], "", 0, 0, options.Method);
        var compressed = await retriever.CompressAsync(
            new RagCompressRequest([.. top.Select(h => h.Hit.Text)], Question: question, TargetToken: options.BudgetTokens, Method: options.Method), cancellationToken);
        var sources = new List<RagSource>();
        foreach (var (kept, index) in compressed.KeptSpans.GroupBy(s => s.Context).OrderBy(g => g.Key).Select(g => (g.OrderBy(s => s.Start).ToList(), g.Key)))
        {
            var (collection, hit) = top[index];
            var pieces = Merge(hit.Text, kept);
            var spans = pieces.Select(p => new RagSpan(hit.Start + p.Start, hit.Start + p.End)).ToList();
            var text = string.Join(" … ", pieces.Select(p => hit.Text[p.Start..p.End].Trim()));
            if (text.Length == 0)
                continue;
            sources.Add(new RagSource(sources.Count + 1, collection, hit.DocumentId, hit.Title, hit.ChunkId, spans, text, hit.Score,
                retriever.Link(collection, hit.DocumentId, spans[0].Start, spans[^1].End)));
        }

        return new RagContext(question, sources, Format(options.Header, sources), compressed.OriginTokens, compressed.CompressedTokens, compressed.Method);
    }

    /// <summary>The sources as a model reads them: the header, then <c>[n] title (document, characters a–b)</c> and the text of each.</summary>
    public static string Format(string header, IReadOnlyList<RagSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Count == 0)
            return "";
        var text = new StringBuilder(header).Append("\n\n");
        foreach (var source in sources)
        {
            text.Append('[').Append(source.Number.ToString(CultureInfo.InvariantCulture)).Append("] ");
            if (!string.IsNullOrWhiteSpace(source.Title))
                text.Append('"').Append(source.Title).Append("\" ");
            text.Append(CultureInfo.InvariantCulture, $"(document {source.DocumentId}, characters {source.Spans[0].Start}–{source.Spans[^1].End})\n")
                .Append(source.Text).Append("\n\n");
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>Kept spans of one chunk, neighbours joined where only white space lies between them.</summary>
    private static List<(int Start, int End)> Merge(string text, IReadOnlyList<RagKeptSpan> kept)
    {
        var merged = new List<(int Start, int End)>();
        foreach (var span in kept)
        {
            var start = Math.Clamp(span.Start, 0, text.Length);
            var end = Math.Clamp(span.End, start, text.Length);
            if (merged.Count > 0 && merged[^1].End <= start && string.IsNullOrWhiteSpace(text[merged[^1].End..start]))
                merged[^1] = (merged[^1].Start, end);
            else if (end > start)
                merged.Add((start, end));
        }

        return merged;
    }
}

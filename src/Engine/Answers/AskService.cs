using System.Diagnostics;
using Rag.Compression.Extractive;
using Rag.Engine.Diagnostics;
using Rag.Engine.Search;

namespace Rag.Engine.Answers;

/// <summary>
/// Answers a question from a collection: retrieve, then select context under the budget. With no
/// generative model configured the answer is extractive: the selected sentences themselves, each
/// cited to its document, chunk and character span.
/// </summary>
public sealed class AskService(SearchService search, ExtractiveSelector selector, RagMetrics metrics)
{
    internal const string ExtractiveNote =
        "No generative model is configured: the answer quotes the best-matching sentences of the retrieved chunks.";

    public async Task<AskResult> AskAsync(string collection, AskQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var total = Stopwatch.StartNew();
        var hits = await search.SearchAsync(collection, new SearchQuery(query.Question, query.TopK, query.Tags), cancellationToken);
        var retrieveMs = total.Elapsed.TotalMilliseconds;

        var selectClock = Stopwatch.StartNew();
        var passages = hits.Select((hit, rank) => new Passage(hit.ChunkId, hit.Text, rank)).ToList();
        var selected = selector.Select(query.Question, passages, query.BudgetTokens);
        var byChunk = hits.ToDictionary(h => h.ChunkId);
        var citations = selected.Select((sentence, i) =>
        {
            var hit = byChunk[sentence.Passage.Id];
            var start = hit.Start + sentence.Start;
            return new Citation(i + 1, hit.DocumentId, hit.ChunkId, start, start + sentence.Length, sentence.Text, Math.Round(sentence.Score, 4));
        }).ToList();
        var answer = string.Join(" ", citations.Select(c => $"{c.Quote} [{c.Number}]"));
        var selectMs = selectClock.Elapsed.TotalMilliseconds;

        var retrieved = hits.Sum(h => h.TokenCount);
        var returned = selected.Sum(s => s.Tokens);
        var figures = new AnswerFigures(
            retrieved,
            returned,
            returned == 0 ? 0 : Math.Round((double)retrieved / returned, 2),
            hits.Count,
            new Dictionary<string, double>
            {
                ["retrieve"] = Math.Round(retrieveMs, 2),
                ["select"] = Math.Round(selectMs, 2),
                ["total"] = Math.Round(total.Elapsed.TotalMilliseconds, 2),
            });
        var note = citations.Count == 0
            ? "Nothing in the collection matches the question."
            : ExtractiveNote;
        metrics.Answered("extractive", figures, total.Elapsed);
        return new AskResult(answer, "extractive", note, citations, figures);
    }
}

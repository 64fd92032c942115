using Rag.Compression.Text;

namespace Rag.Compression.Methods;

/// <summary>
/// <c>segment</c>: per-segment token pruning by surprisal (CompLLM-style segments, cached, <see cref="Segments"/>),
/// with LongLLMLingua-style ranking of segments by the question when there is one.
/// </summary>
internal sealed class SegmentMethod(MethodServices services) : ICompressionMethod
{
    public MethodDescription Description { get; } = new(CompressionMethod.Segment, "Per-segment token pruning by surprisal (CompLLM-style segments, cached), with LongLLMLingua-style ranking of segments by the question.");

    public bool IsAvailable => services.Scorer is not null;

    public async Task<WordChoice> ChooseAsync(MethodInput input, CancellationToken cancellationToken)
    {
        var request = input.Request;
        var segments = await Segments.ScoreAsync(input.Texts, input.Words, string.IsNullOrWhiteSpace(request.Question) ? null : request.Question,
            services.Scorer!, services.Cache, services.Options.SegmentTokens, request.Scope ?? "", cancellationToken);
        return new WordChoice(Priorities(input.Words, segments), null, segments.Hits, segments.Misses);
    }

    /// <summary>
    /// Information per budget token (the knapsack ratio: nats kept per token spent). With a question,
    /// segments are first ordered by how well they explain it (LongLLMLingua's query-aware ranking, at
    /// segment granularity), so the best segments are kept whole and only the last one that fits is
    /// pruned word by word.
    /// </summary>
    private static double[] Priorities(IReadOnlyList<Word> units, SegmentScores scores)
    {
        var priority = new double[units.Count];
        int[]? rank = null;
        if (scores.QuestionNll is { } nll)
        {
            rank = new int[nll.Length];
            var order = Enumerable.Range(0, nll.Length).OrderBy(s => nll[s]).ThenBy(s => s).ToArray();
            for (var r = 0; r < order.Length; r++)
                rank[order[r]] = r;
        }

        for (var i = 0; i < units.Count; i++)
        {
            var density = scores.Information[i] / Math.Max(1, units[i].Tokens);
            priority[i] = rank is null ? density : (1000.0 * (rank.Length - rank[scores.SegmentOfUnit[i]])) + density;
        }

        return priority;
    }
}

namespace Rag.Retrieval.Vectors;

/// <summary>
/// Reciprocal rank fusion (Cormack, Clarke and Büttcher, 2009): an item's score is the sum over
/// rankings of 1 / (k + rank), rank counted from 1. It needs no score calibration between
/// rankers, which is why it is the usual way to merge BM25 with dense retrieval.
/// </summary>
public static class ReciprocalRankFusion
{
    /// <summary>The constant from the paper; larger values flatten the advantage of top ranks.</summary>
    public const int DefaultK = 60;

    /// <summary>
    /// Fuses <paramref name="rankings"/> (each best first) and returns the best
    /// <paramref name="topK"/> items with their fused scores, best first. Ties keep the order in
    /// which items were first seen, so the result is deterministic. <paramref name="weights"/>, one per
    /// ranking (default: all 1), multiply each ranking's contributions (weighted RRF).
    /// </summary>
    public static IReadOnlyList<(T Item, double Score)> Fuse<T>(IReadOnlyList<IReadOnlyList<T>> rankings, int topK, int k = DefaultK, IReadOnlyList<double>? weights = null)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(rankings);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (weights is not null && weights.Count != rankings.Count)
            throw new ArgumentException("Give one weight per ranking.", nameof(weights));
        var scores = new FusedScores<T>();
        for (var r = 0; r < rankings.Count; r++)
        {
            var weight = weights?[r] ?? 1.0;
            for (var rank = 0; rank < rankings[r].Count; rank++)
                scores.Add(rankings[r][rank], weight / (k + rank + 1));
        }

        return scores.Top(topK);
    }
}

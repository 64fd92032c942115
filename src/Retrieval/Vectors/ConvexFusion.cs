namespace Rag.Retrieval.Vectors;

/// <summary>
/// Convex combination of normalised scores (Bruch, Gai and Ingber, 2022, "An Analysis of Fusion
/// Functions for Hybrid Retrieval"): each ranker's scores are min-max normalised over its own
/// candidates, an item missing from a list gets that list's minimum (0), and the fused score is
/// <c>w · dense + (1 − w) · lexical</c>. Unlike reciprocal rank fusion it keeps how far apart the
/// scores are, so one confident ranker is not outvoted by the other's noise.
/// <para>
/// Our addition, measured (docs/retrieval-results.md): the weight adapts to the query by BM25's own
/// confidence, <c>w = clamp(w₀ − α · (s₁ − s₂) / s₁)</c> with s₁, s₂ the two best BM25 scores — when one
/// candidate stands well above the rest lexically (an identifier, an exact phrase), the words decide
/// more. With α = 0 it is the plain convex combination. w₀ and α are fitted per encoder.
/// </para>
/// </summary>
public static class ConvexFusion
{
    /// <summary>
    /// Fuses the two candidate lists (each best first, with its ranker's scores) and returns the best
    /// <paramref name="topK"/> items with their fused scores in [0, 1], best first. Ties keep the order
    /// in which items were first seen (lexical list first), so the result is deterministic.
    /// </summary>
    public static IReadOnlyList<(T Item, double Score)> Fuse<T>(
        IReadOnlyList<(T Item, double Score)> lexical, IReadOnlyList<(T Item, double Score)> dense, double denseWeight, int topK, double lexicalGapWeight = 0)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(lexical);
        ArgumentNullException.ThrowIfNull(dense);
        if (denseWeight is < 0 or > 1 || double.IsNaN(denseWeight))
            throw new ArgumentOutOfRangeException(nameof(denseWeight), denseWeight, "The dense weight must be between 0 and 1.");
        if (lexicalGapWeight < 0 || double.IsNaN(lexicalGapWeight))
            throw new ArgumentOutOfRangeException(nameof(lexicalGapWeight), lexicalGapWeight, "The lexical gap weight must be 0 or more.");
        if (lexicalGapWeight > 0 && lexical.Count >= 2 && lexical[0].Score > 0)
        {
            var gap = (lexical[0].Score - lexical[1].Score) / lexical[0].Score;
            denseWeight = Math.Clamp(denseWeight - (lexicalGapWeight * gap), 0, 1);
        }

        var scores = new FusedScores<T>();
        Add(lexical, 1 - denseWeight);
        Add(dense, denseWeight);
        return scores.Top(topK);

        void Add(IReadOnlyList<(T Item, double Score)> ranking, double weight)
        {
            if (ranking.Count == 0)
                return;
            var min = ranking.Min(r => r.Score);
            var max = ranking.Max(r => r.Score);
            foreach (var (item, score) in ranking)
                scores.Add(item, weight * (max > min ? (score - min) / (max - min) : 1.0));
        }
    }

    /// <summary>
    /// The convex combination over three lists: BM25, the chunk vectors and the chunk's best unit (max-sim). The dense
    /// share <paramref name="denseWeight"/> adapts to BM25's confidence as in the two-list form, then splits between the
    /// chunk vectors and the units by <paramref name="unitShare"/> (0: chunk vectors only, the two-list form; 1: units only).
    /// </summary>
    public static IReadOnlyList<(T Item, double Score)> Fuse<T>(
        IReadOnlyList<(T Item, double Score)> lexical, IReadOnlyList<(T Item, double Score)> dense, IReadOnlyList<(T Item, double Score)> units,
        double denseWeight, double unitShare, int topK, double lexicalGapWeight = 0)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(units);
        if (unitShare is < 0 or > 1 || double.IsNaN(unitShare))
            throw new ArgumentOutOfRangeException(nameof(unitShare), unitShare, "The unit share must be between 0 and 1.");
        if (unitShare == 0 || units.Count == 0)
            return Fuse(lexical, dense, denseWeight, topK, lexicalGapWeight);
        ArgumentNullException.ThrowIfNull(lexical);
        ArgumentNullException.ThrowIfNull(dense);
        if (denseWeight is < 0 or > 1 || double.IsNaN(denseWeight))
            throw new ArgumentOutOfRangeException(nameof(denseWeight), denseWeight, "The dense weight must be between 0 and 1.");
        if (lexicalGapWeight > 0 && lexical.Count >= 2 && lexical[0].Score > 0)
            denseWeight = Math.Clamp(denseWeight - (lexicalGapWeight * (lexical[0].Score - lexical[1].Score) / lexical[0].Score), 0, 1);

        var scores = new FusedScores<T>();
        Add(scores, lexical, 1 - denseWeight);
        Add(scores, dense, denseWeight * (1 - unitShare));
        Add(scores, units, denseWeight * unitShare);
        return scores.Top(topK);
    }

    private static void Add<T>(FusedScores<T> scores, IReadOnlyList<(T Item, double Score)> ranking, double weight)
        where T : notnull
    {
        if (ranking.Count == 0 || weight == 0)
            return;
        var min = ranking.Min(r => r.Score);
        var max = ranking.Max(r => r.Score);
        foreach (var (item, score) in ranking)
            scores.Add(item, weight * (max > min ? (score - min) / (max - min) : 1.0));
    }
}

namespace Rag.Retrieval.Vectors;

/// <summary>
/// The running totals of a score fusion: each item's summed score and when it was first seen, so the
/// result is the best items by score with ties kept in first-seen order (deterministic).
/// </summary>
internal sealed class FusedScores<T>
    where T : notnull
{
    private readonly Dictionary<T, (double Score, int FirstSeen)> _scores = [];

    public void Add(T item, double score) =>
        _scores[item] = _scores.TryGetValue(item, out var current) ? (current.Score + score, current.FirstSeen) : (score, _scores.Count);

    public IReadOnlyList<(T Item, double Score)> Top(int topK) => _scores
        .OrderByDescending(s => s.Value.Score)
        .ThenBy(s => s.Value.FirstSeen)
        .Take(topK)
        .Select(s => (s.Key, s.Value.Score))
        .ToList();
}

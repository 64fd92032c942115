namespace Rag.Retrieval.Chunking;

/// <summary>
/// A structural unit of a document (a section, a class, a function) spanning [Start, End).
/// Children, when present, cover the block contiguously and are where it is cut first when it
/// does not fit into one chunk.
/// </summary>
internal sealed record Block(int Start, int End, string? Section, IReadOnlyList<Block> Children)
{
    public static Block Leaf(int start, int end, string? section) => new(start, end, section, []);

    /// <summary>
    /// Cuts [start, end) at the given boundaries. Text before the first boundary joins the first
    /// block (a file header, a class's opening line), so blocks always cover the range.
    /// </summary>
    public static List<Block> Cover(int start, int end, IEnumerable<(int Position, Func<int, int, Block> Make)> boundaries)
    {
        var sorted = boundaries.OrderBy(b => b.Position).ToList();
        if (sorted.Count == 0)
            return [Leaf(start, end, null)];

        var blocks = new List<Block>(sorted.Count);
        for (var i = 0; i < sorted.Count; i++)
        {
            var blockStart = i == 0 ? start : Math.Clamp(sorted[i].Position, start, end);
            var blockEnd = i == sorted.Count - 1 ? end : Math.Clamp(sorted[i + 1].Position, start, end);
            if (blockEnd > blockStart)
                blocks.Add(sorted[i].Make(blockStart, blockEnd));
        }

        return blocks;
    }
}

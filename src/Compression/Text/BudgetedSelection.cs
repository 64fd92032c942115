namespace Rag.Compression.Text;

/// <summary>
/// Picks units by priority until a token budget is used, then measures the real prompt and
/// corrects until it is within tolerance of the target. Token counts of separate units almost add
/// up (merges across a boundary differ by a token or two), so a few rounds always converge; this is
/// what keeps the achieved size on the requested one, the first complaint about LLMLingua.
/// </summary>
public static class BudgetedSelection
{
    /// <summary>Relative distance from the target the result may have.</summary>
    public const double Tolerance = 0.05;

    /// <param name="units">The units; protected ones are always kept.</param>
    /// <param name="priority">Higher is kept first.</param>
    /// <param name="target">Tokens the whole prompt should have.</param>
    /// <param name="fixedTokens">Tokens outside the units (instruction, question, separators).</param>
    /// <param name="measure">Exact tokens of the whole prompt for a keep mask.</param>
    /// <param name="initial">A mask chosen by the method (e.g. a knapsack), corrected here; null: greedy by priority.</param>
    /// <param name="count">
    /// When the units' tokens are estimates: counts a unit exactly. The units the selection can reach (in priority
    /// order, until twice the budget is counted) are counted before selecting; the rest keep their estimates.
    /// </param>
    public static (bool[] Keep, int Tokens) Select(
        IReadOnlyList<Word> units, IReadOnlyList<double> priority, int target, int fixedTokens, Func<bool[], int> measure, bool[]? initial = null,
        Func<Word, int>? count = null)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(priority);
        ArgumentNullException.ThrowIfNull(measure);
        var order = Enumerable.Range(0, units.Count).Where(i => !units[i].Protected)
            .OrderByDescending(i => priority[i]).ThenBy(i => i).ToArray();
        if (count is not null)
            units = Counted(units, order, count, 2 * Math.Max(1, target - fixedTokens));
        var keep = new bool[units.Count];
        var estimate = fixedTokens;
        for (var i = 0; i < units.Count; i++)
        {
            if (units[i].Protected || (initial?[i] ?? false))
            {
                keep[i] = true;
                estimate += units[i].Tokens;
            }
        }

        if (initial is null)
        {
            foreach (var i in order)
            {
                if (estimate + units[i].Tokens <= target)
                {
                    keep[i] = true;
                    estimate += units[i].Tokens;
                }
            }
        }

        var tokens = measure(keep);
        for (var round = 0; round < 8; round++)
        {
            var gap = target - tokens;
            if (Math.Abs(gap) <= Math.Max(1, target * Tolerance / 2))
                break;
            if (gap < 0)
            {
                DropLeastValuable(units, order, keep, -gap);
            }
            else
            {
                // Room left: add the most valuable dropped units that fit it.
                var room = gap;
                var added = false;
                foreach (var i in order)
                {
                    if (keep[i] || units[i].Tokens > room)
                        continue;
                    keep[i] = true;
                    room -= units[i].Tokens;
                    added = true;
                }

                if (!added)
                    break;
            }

            var next = measure(keep);
            if (next == tokens && gap > 0)
                break;
            tokens = next;
        }

        // Never end above the tolerance while something can still go.
        for (var round = 0; round < 16 && tokens > target * (1 + Tolerance); round++)
        {
            if (!DropLeastValuable(units, order, keep, tokens - target))
                break;
            tokens = measure(keep);
        }

        return (keep, tokens);
    }

    /// <summary>The units with exact counts for the protected ones and the best ones until <paramref name="reach"/> tokens are counted.</summary>
    private static Word[] Counted(IReadOnlyList<Word> units, int[] order, Func<Word, int> count, int reach)
    {
        var counted = units.ToArray();
        for (var i = 0; i < counted.Length; i++)
        {
            if (counted[i].Protected)
                counted[i] = counted[i] with { Tokens = count(counted[i]) };
        }

        var total = 0;
        foreach (var i in order)
        {
            if (total >= reach)
                break;
            counted[i] = counted[i] with { Tokens = count(counted[i]) };
            total += counted[i].Tokens;
        }

        return counted;
    }

    /// <summary>Drops the least valuable kept units until about <paramref name="excess"/> tokens are gone; false when nothing could go.</summary>
    private static bool DropLeastValuable(IReadOnlyList<Word> units, int[] order, bool[] keep, int excess)
    {
        var dropped = false;
        for (var o = order.Length - 1; o >= 0 && excess > 0; o--)
        {
            var i = order[o];
            if (!keep[i])
                continue;
            keep[i] = false;
            excess -= units[i].Tokens;
            dropped = true;
        }

        return dropped;
    }
}

namespace Rag.Compression.Text;

/// <summary>
/// A context item with <c>&lt;keep&gt;...&lt;/keep&gt;</c> markup removed: the clean text that is
/// compressed, the protected ranges in it, and the map back to offsets in the original item.
/// </summary>
public sealed class KeepMarkup
{
    /// <summary>Starts a protected span.</summary>
    public const string Open = "<keep>";
    /// <summary>Ends a protected span.</summary>
    public const string Close = "</keep>";

    private readonly int[] _toOriginal;

    private KeepMarkup(string clean, IReadOnlyList<(int Start, int End)> kept, int[] toOriginal)
    {
        Clean = clean;
        Protected = kept;
        _toOriginal = toOriginal;
    }

    /// <summary>The text with the markup removed.</summary>
    public string Clean { get; }

    /// <summary>Protected ranges of <see cref="Clean"/>, in order, not overlapping.</summary>
    public IReadOnlyList<(int Start, int End)> Protected { get; }

    /// <summary>The original offset of clean offset <paramref name="index"/> (the item's length for its end).</summary>
    public int ToOriginal(int index) => _toOriginal[index];

    /// <summary>
    /// Parses <paramref name="text"/>; null with an error message when tags are unbalanced or nested.
    /// <paramref name="spans"/> (ranges of the original text) are protected as well. With
    /// <paramref name="markup"/> false the tags are ordinary characters: retrieved document text is
    /// data, and only a caller's own text may carry instructions to the compressor.
    /// </summary>
    public static KeepMarkup? Parse(string text, IEnumerable<(int Start, int End)>? spans, out string? error, bool markup = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        error = null;
        var clean = new System.Text.StringBuilder(text.Length);
        var map = new List<int>(text.Length + 1);
        var kept = new List<(int, int)>();
        var openAt = -1;
        var i = 0;
        while (i < text.Length)
        {
            if (markup && string.CompareOrdinal(text, i, Open, 0, Open.Length) == 0)
            {
                if (openAt >= 0)
                {
                    error = $"nested <keep> at offset {i}";
                    return null;
                }

                openAt = clean.Length;
                i += Open.Length;
            }
            else if (markup && string.CompareOrdinal(text, i, Close, 0, Close.Length) == 0)
            {
                if (openAt < 0)
                {
                    error = $"</keep> without <keep> at offset {i}";
                    return null;
                }

                kept.Add((openAt, clean.Length));
                openAt = -1;
                i += Close.Length;
            }
            else
            {
                map.Add(i);
                clean.Append(text[i]);
                i++;
            }
        }

        if (openAt >= 0)
        {
            error = "<keep> is never closed";
            return null;
        }

        map.Add(text.Length);
        var toOriginal = map.ToArray();
        foreach (var (start, end) in spans ?? [])
        {
            // An original range maps to the clean characters that came from inside it.
            var cleanStart = Array.FindIndex(toOriginal, o => o >= start);
            var cleanEnd = Array.FindIndex(toOriginal, o => o >= end);
            if (cleanStart >= 0 && cleanEnd > cleanStart)
                kept.Add((cleanStart, cleanEnd));
        }

        kept.Sort();
        return new KeepMarkup(clean.ToString(), kept, toOriginal);
    }

    /// <summary>True when [start, end) overlaps a protected range.</summary>
    public bool IsProtected(int start, int end)
    {
        foreach (var (s, e) in Protected)
        {
            if (s < end && start < e)
                return true;
        }

        return false;
    }
}

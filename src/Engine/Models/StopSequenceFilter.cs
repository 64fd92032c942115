namespace Rag.Engine.Models;

/// <summary>
/// Streams generated text while watching for stop sequences: text that could be the start of a
/// stop sequence is held back until the next tokens show it is not, so a stop sequence never
/// reaches the caller even when it arrives split across tokens. A trailing U+FFFD (the first
/// bytes of a character whose other bytes are still to come) is held back the same way.
/// </summary>
internal sealed class StopSequenceFilter
{
    private readonly IReadOnlyList<string> _stops;
    private readonly int _longest;
    private int _emitted;

    public StopSequenceFilter(IReadOnlyList<string>? stops)
    {
        _stops = stops?.Where(s => s.Length > 0).ToList() ?? [];
        _longest = _stops.Count == 0 ? 0 : _stops.Max(s => s.Length);
    }

    /// <summary>Given all text generated so far, returns what may be sent now and whether a stop sequence ended it.</summary>
    public (string Delta, bool Stopped) Next(string text, bool final)
    {
        ArgumentNullException.ThrowIfNull(text);
        var searchFrom = Math.Max(0, _emitted - _longest + 1);
        var cut = -1;
        foreach (var stop in _stops)
        {
            var at = text.IndexOf(stop, searchFrom, StringComparison.Ordinal);
            if (at >= 0 && (cut < 0 || at < cut))
                cut = at;
        }

        if (cut >= 0)
            return (Take(text, Math.Max(cut, _emitted)), true);

        var safe = text.Length;
        if (!final)
        {
            while (safe > _emitted && text[safe - 1] == '\uFFFD' && text.Length - safe < 3)
                safe--;
            foreach (var stop in _stops)
            {
                for (var k = Math.Min(stop.Length - 1, text.Length); k > 0; k--)
                {
                    if (text.AsSpan(text.Length - k).SequenceEqual(stop.AsSpan(0, k)))
                    {
                        safe = Math.Min(safe, text.Length - k);
                        break;
                    }
                }
            }
        }

        return (Take(text, Math.Max(safe, _emitted)), false);
    }

    private string Take(string text, int end)
    {
        var delta = text[_emitted..end];
        _emitted = end;
        return delta;
    }
}

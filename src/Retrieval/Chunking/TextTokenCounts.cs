using Microsoft.ML.Tokenizers;

namespace Rag.Retrieval.Chunking;

/// <summary>
/// Exact token counts of any range of one text, tokenizing each character about once.
/// </summary>
/// <remarks>
/// A tiktoken tokenizer cuts text into pre-tokens with a regular expression and encodes each
/// pre-token on its own, so the count of a text is the sum of its pre-tokens' counts. The whole
/// text is pre-tokenized once and each pre-token counted once (a word seen before is looked up);
/// the count of a range is then a difference of prefix sums, corrected at both ends: the range's
/// own pre-tokens are found from its start until they meet a pre-token boundary of the whole
/// text, and from the last whole-text pre-token whose match could not have seen past the range's
/// end (the expression looks ahead at most to the end of a run of whitespace, or three characters),
/// the tail is counted directly. The expression has no look-behind, so matching from a boundary
/// depends only on what follows it. Tokenizers that are not tiktoken, and texts holding a special
/// token, are counted directly.
/// </remarks>
internal sealed class TextTokenCounts
{
    /// <summary>Below this many characters a text is counted directly: the index would not pay for itself.</summary>
    private const int IndexedFrom = 4_096;

    /// <summary>Ranges this short are counted directly.</summary>
    private const int DirectBelow = 64;

    /// <summary>How far into a range its own pre-tokens are followed looking for a shared boundary.</summary>
    private const int HeadWindow = 256;

    private readonly Tokenizer _tokenizer;
    private readonly string _text;
    private readonly PreTokenizer? _preTokenizer;
    private readonly int[] _starts = [];
    private readonly int[] _reach = [];
    private readonly int[] _before = [];
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _pieces =
        new Dictionary<string, int>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Counts for <paramref name="text"/> in <paramref name="tokenizer"/>; texts shorter than <paramref name="indexFrom"/> characters are counted directly.</summary>
    public TextTokenCounts(Tokenizer tokenizer, string text, int indexFrom = IndexedFrom)
    {
        _tokenizer = tokenizer;
        _text = text;
        if (text.Length < indexFrom || tokenizer is not TiktokenTokenizer { PreTokenizer: { } preTokenizer, Normalizer: null } tiktoken)
            return;

        // A special token is split out before the expression runs, so a range that cuts one in
        // two is matched differently near it: texts holding one are counted directly.
        if (tiktoken.SpecialTokens?.Keys.Any(special => text.Contains(special, StringComparison.Ordinal)) == true)
            return;

        _preTokenizer = preTokenizer;
        var starts = new List<int>(text.Length / 4);
        var counts = new List<int>(text.Length / 4);
        var end = 0;
        foreach (var (offset, length) in preTokenizer.PreTokenize(text))
        {
            if (offset != end)
            {
                // Not a tiling of the text (a pre-tokenizer that drops characters): count directly.
                _preTokenizer = null;
                return;
            }

            starts.Add(offset);
            counts.Add(Piece(offset, length));
            end = offset + length;
        }

        if (end != text.Length)
        {
            _preTokenizer = null;
            return;
        }

        _starts = [.. starts];
        _before = new int[counts.Count + 1];
        for (var i = 0; i < counts.Count; i++)
            _before[i + 1] = _before[i] + counts[i];

        // The last character the expression may have read to decide the match at pre-token i.
        _reach = new int[_starts.Length];
        var nextNonSpace = text.Length;
        var next = _starts.Length - 1;
        for (var p = text.Length - 1; p >= 0 && next >= 0; p--)
        {
            if (!char.IsWhiteSpace(text[p]))
                nextNonSpace = p;
            while (next >= 0 && _starts[next] == p)
            {
                var pieceEnd = next + 1 < _starts.Length ? _starts[next + 1] : text.Length;
                _reach[next] = Math.Max(Math.Max(pieceEnd, p + 3), nextNonSpace);
                next--;
            }
        }
    }

    /// <summary>The number of tokens of <c>text[start..end)</c>, exactly as the tokenizer counts it.</summary>
    public int Count(int start, int end)
    {
        if (_preTokenizer is null || end - start < DirectBelow)
            return Direct(start, end);

        if (!Head(start, end, out var headTokens, out var aligned))
            return Direct(start, end);

        // The last whole-text pre-token that ends inside the range and saw nothing past it.
        var last = Array.BinarySearch(_starts, end);
        last = last >= 0 ? last - 1 : ~last - 1;
        while (last >= aligned && _reach[last] >= end)
            last--;
        if (last < aligned)
            return headTokens + Direct(_starts[aligned], end);

        var tail = last + 1 < _starts.Length ? _starts[last + 1] : _text.Length;
        return headTokens + _before[last + 1] - _before[aligned] + Direct(tail, end);
    }

    /// <summary>
    /// Follows the range's own pre-tokens from <paramref name="start"/> until one ends on a
    /// whole-text boundary; <paramref name="aligned"/> is that boundary's pre-token index.
    /// </summary>
    private bool Head(int start, int end, out int tokens, out int aligned)
    {
        tokens = 0;
        aligned = Array.BinarySearch(_starts, start);
        if (aligned >= 0)
            return true;

        var window = Math.Min(end, start + HeadWindow);
        foreach (var (offset, length) in _preTokenizer!.PreTokenize(_text.AsSpan(start, window - start)))
        {
            var pieceStart = start + offset;
            var pieceEnd = pieceStart + length;
            if (window < end && Reach(pieceStart, pieceEnd) >= window)
                return false; // this match might have gone differently with the rest of the range
            tokens += Piece(pieceStart, length);
            aligned = Array.BinarySearch(_starts, pieceEnd);
            if (aligned >= 0)
                return true;
            if (pieceEnd == end)
                return false;
        }

        return false;
    }

    private int Reach(int start, int end)
    {
        var nonSpace = start;
        while (nonSpace < _text.Length && char.IsWhiteSpace(_text[nonSpace]))
            nonSpace++;
        return Math.Max(Math.Max(end, start + 3), nonSpace);
    }

    /// <summary>The count of one pre-token, each distinct one tokenized once.</summary>
    private int Piece(int start, int length)
    {
        var span = _text.AsSpan(start, length);
        if (_pieces.TryGetValue(span, out var count))
            return count;
        count = _tokenizer.CountTokens(span);
        _pieces[span] = count;
        return count;
    }

    private int Direct(int start, int end) => start >= end ? 0 : _tokenizer.CountTokens(_text.AsSpan(start, end - start));
}

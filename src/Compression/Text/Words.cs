using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Rag.Compression.Text;

/// <summary>Cuts text into <see cref="Word"/>s.</summary>
public static partial class Words
{
    /// <summary>A run without white space longer than this (CJK prose, minified code) is cut into pieces of about this many text elements.</summary>
    public const int MaxElementsPerUnit = 12;

    /// <summary>Units of <paramref name="text"/>, covering it from the first non-white character to the end.</summary>
    public static List<(int Start, int End)> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var units = new List<(int, int)>();
        foreach (var match in Word().EnumerateMatches(text))
        {
            var wordStart = match.Index;
            while (wordStart < match.Index + match.Length && char.IsWhiteSpace(text[wordStart]))
                wordStart++;
            var end = match.Index + match.Length;
            if (end - wordStart <= MaxElementsPerUnit * 2)
            {
                units.Add((match.Index, end));
                continue;
            }

            // Long run: cut at text element boundaries.
            var start = match.Index;
            var elements = StringInfo.ParseCombiningCharacters(text[wordStart..end]);
            for (var e = MaxElementsPerUnit; e < elements.Length; e += MaxElementsPerUnit)
            {
                var cut = wordStart + elements[e];
                units.Add((start, cut));
                start = cut;
            }

            units.Add((start, end));
        }

        return units;
    }

    /// <summary>Line units for code: each line with the line break before it (the first line without), so whole lines are kept or dropped and indentation survives.</summary>
    public static List<(int Start, int End)> SplitLines(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var units = new List<(int, int)>();
        var start = 0;
        while (start < text.Length)
        {
            var search = start == 0 ? 0 : start + 1;
            var newline = search < text.Length ? text.IndexOf('\n', search) : -1;
            var end = newline < 0 ? text.Length : newline;
            if (end > start || start == 0)
                units.Add((start, end));
            if (newline < 0)
                break;
            start = newline;
        }

        return units.Where(u => u.Item2 > u.Item1).ToList();
    }

    /// <summary>Units with their token counts in <paramref name="tokenizer"/>.</summary>
    public static List<Word> Measure(int item, string text, IReadOnlyList<(int Start, int End)> spans, Tokenizer tokenizer, Func<int, int, bool> isProtected)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(isProtected);
        var units = new List<Word>(spans.Count);
        foreach (var (start, end) in spans)
            units.Add(new Word(item, start, end, Math.Max(1, tokenizer.CountTokens(text.AsSpan(start, end - start))), isProtected(start, end)));
        return units;
    }

    /// <summary>
    /// Units with their tokens estimated from the text's known total (<paramref name="tokens"/>, counted at
    /// ingestion) in proportion to their characters, at least one each; no tokenizer runs. The caller counts
    /// exactly the units it may keep (<see cref="BudgetedSelection"/>) and measures what it keeps.
    /// </summary>
    public static List<Word> Estimate(int item, string text, IReadOnlyList<(int Start, int End)> spans, int tokens, Func<int, int, bool> isProtected)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(spans);
        ArgumentNullException.ThrowIfNull(isProtected);
        var perCharacter = text.Length == 0 ? 0 : (double)tokens / text.Length;
        return [.. spans.Select(s => new Word(item, s.Start, s.End, Math.Max(1, (int)Math.Round((s.End - s.Start) * perCharacter)), isProtected(s.Start, s.End)))];
    }

    [GeneratedRegex(@"\s*\S+", RegexOptions.CultureInvariant)]
    private static partial Regex Word();
}

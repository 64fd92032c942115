using System.Text.RegularExpressions;

namespace Rag.Text;

/// <summary>
/// Splits prose into sentences and structured text into lines: a sentence ends at . ! ? followed
/// by white space and a capital, digit or opening quote, or at a line break that ends a
/// paragraph, a heading, a list item or a line of code. Abbreviations such as "e.g." and "Dr."
/// do not end a sentence. Leading and trailing white space is not part of a sentence.
/// </summary>
public static partial class SentenceSplitter
{
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "prof", "st", "no", "fig", "approx", "inc", "ltd", "jr", "sr", "cf", "al",
    };

    /// <summary>The sentences of <paramref name="text"/>, in order.</summary>
    public static IReadOnlyList<Unit> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sentences = new List<Unit>();
        var start = 0;
        foreach (var match in Boundary().EnumerateMatches(text))
        {
            var end = match.Index + match.Length;
            if (text[match.Index] is '.' && IsAbbreviation(text, match.Index))
                continue;
            Add(text, start, end, sentences);
            start = end;
        }

        Add(text, start, text.Length, sentences);
        return sentences;
    }

    internal static bool IsAbbreviation(string text, int dot)
    {
        var wordStart = dot;
        while (wordStart > 0 && (char.IsLetter(text[wordStart - 1]) || text[wordStart - 1] == '.'))
            wordStart--;
        var word = text[wordStart..dot];
        return Abbreviations.Contains(word) || (word.Length == 1 && char.IsUpper(word[0]));
    }

    private static void Add(string text, int start, int end, List<Unit> sentences)
    {
        while (start < end && char.IsWhiteSpace(text[start]))
            start++;
        while (end > start && char.IsWhiteSpace(text[end - 1]))
            end--;
        if (end > start)
            sentences.Add(new Unit(start, end));
    }

    // Unit punctuation (plus closing quotes/brackets) then space before a likely sentence start, or a line break.
    [GeneratedRegex(@"[.!?][""'”’)\]]*(?=\s+[\p{Lu}\p{N}""'“‘(\[])|\r?\n")]
    private static partial Regex Boundary();
}

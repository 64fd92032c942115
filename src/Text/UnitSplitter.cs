using System.Text.RegularExpressions;

namespace Rag.Text;

/// <summary>
/// Cuts a passage into the units that follow its structure — what ingestion embeds one vector each for, what
/// compression ranks and keeps, what extractive answers cite: a sentence of prose (sentences may wrap across
/// lines), one list item with its continuation lines (<c>*</c>, <c>-</c>, <c>+</c>, <c>•</c>, <c>o</c>, <c>**</c>,
/// <c>1.</c>, <c>a.</c>, <c>(i)</c> markers), one table row, one term with its indented definition (manual pages,
/// option lists), one fenced code block, one heading; lines of code stay lines. A unit never spans two list items;
/// a list item longer than <see cref="MaxUnitCharacters"/> is cut at its sentences, never into smaller fragments.
/// Spans point into the text, exclusive of surrounding white space.
/// </summary>
public static partial class UnitSplitter
{
    /// <summary>An item, definition or code block longer than this many characters (about 150 tokens) is cut at its sentences (code: its lines).</summary>
    public const int MaxUnitCharacters = 600;

    /// <summary>The units of <paramref name="text"/>, in order.</summary>
    public static IReadOnlyList<Unit> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = Lines(text);
        var units = new List<Unit>();
        var i = 0;
        while (i < lines.Count)
        {
            var line = lines[i];
            switch (line.Kind)
            {
                case LineKind.Blank:
                    i++;
                    break;
                case LineKind.Fence:
                {
                    var end = i + 1;
                    while (end < lines.Count && lines[end].Kind != LineKind.Fence)
                        end++;
                    end = Math.Min(end, lines.Count - 1);
                    AddBlock(text, lines, i, end, UnitKind.Code, units);
                    i = end + 1;
                    break;
                }

                case LineKind.Heading or LineKind.Row:
                    Add(text, line.Start, line.End, line.Kind == LineKind.Heading ? UnitKind.Heading : UnitKind.Row, units);
                    i++;
                    break;
                case LineKind.Item when IsOutlineHeading(text, lines, i):
                    Add(text, line.Start, line.End, UnitKind.Heading, units);
                    i++;
                    break;
                case LineKind.Item:
                {
                    // The item's continuation: following lines that start nothing new; a blank line ends it unless the
                    // next line is indented past the marker (a second paragraph of the same item).
                    var end = i;
                    while (end + 1 < lines.Count)
                    {
                        var next = lines[end + 1];
                        // A line back at the marker's margin after a finished sentence starts a paragraph (PDF text has no indentation).
                        if (next.Kind == LineKind.Text && (next.Indent > line.Indent || text[lines[end].End - 1] is not ('.' or '!' or '?')))
                        {
                            end++;
                            continue;
                        }

                        if (next.Kind == LineKind.Blank && end + 2 < lines.Count && lines[end + 2].Kind == LineKind.Text
                            && lines[end + 2].Indent > line.Indent && lines[end + 2].Indent >= line.ContentIndent)
                        {
                            end += 2;
                            continue;
                        }

                        break;
                    }

                    AddLong(text, line.Start, lines[end].End, UnitKind.Item, units);
                    i = end + 1;
                    break;
                }

                default:
                    i = AddParagraph(text, lines, i, units);
                    break;
            }
        }

        return units;
    }

    /// <summary>
    /// A run of text lines: a term followed by lines indented deeper is a definition (the term with them); lines of
    /// code are units each; anything else is prose, cut at its sentences across line breaks. Returns the next line.
    /// </summary>
    private static int AddParagraph(string text, List<Line> lines, int first, List<Unit> units)
    {
        var end = first;
        while (end + 1 < lines.Count && lines[end + 1].Kind == LineKind.Text)
            end++;
        if (LooksLikeCode(text, lines, first, end))
        {
            for (var l = first; l <= end; l++)
                Add(text, lines[l].Start, lines[l].End, UnitKind.Code, units);
            return end + 1;
        }

        if (lines[first].Indent > 0 && end > first && lines.Skip(first).Take(end - first + 1).All(l => l.Indent == lines[first].Indent)
            && lines[end].End - lines[first].Start <= MaxUnitCharacters)
        {
            // An indented paragraph of even lines: an item of a plain-text list without markers (NEWS files) — whole.
            Add(text, lines[first].Start, lines[end].End, UnitKind.Item, units);
            return end + 1;
        }

        var start = first;
        for (var l = first; l <= end; l++)
        {
            var standalone = (l == 0 || lines[l - 1].Kind == LineKind.Blank) && (l == lines.Count - 1 || lines[l + 1].Kind == LineKind.Blank);
            if (standalone && IsHeadingLike(text, lines[l]))
            {
                // A short line alone between blank lines, not ending a sentence: a plain-text heading ("Version 2.36", "Bug fixes:").
                Add(text, lines[l].Start, lines[l].End, UnitKind.Heading, units);
                start = l + 1;
                continue;
            }

            // A short line followed by deeper-indented lines is a term: it and its definition are one unit. A term whose
            // definition starts terms of its own is a heading ("OPTIONS", then "   Operation modifiers", then options).
            if (l < end && lines[l + 1].Indent > lines[l].Indent && lines[l].End - lines[l].ContentStart <= 80)
            {
                if (l > start)
                    AddProse(text, lines[start].Start, lines[l - 1].End, UnitKind.Sentence, units);
                var body = lines[l + 1].Indent;
                if (l + 2 <= end && lines[l + 2].Indent > body)
                {
                    Add(text, lines[l].Start, lines[l].End, UnitKind.Heading, units);
                    start = l + 1;
                    continue;
                }

                var last = l + 1;
                while (true)
                {
                    var next = last + 1;
                    if (next < lines.Count && lines[next].Kind == LineKind.Blank)
                        next++; // a blank line inside the definition continues it while the indentation holds
                    if (next >= lines.Count || lines[next].Kind != LineKind.Text || lines[next].Indent < body
                        || (next + 1 < lines.Count && lines[next + 1].Kind == LineKind.Text && lines[next + 1].Indent > lines[next].Indent))
                        break;
                    last = next;
                }

                AddLong(text, lines[l].Start, lines[last].End, UnitKind.Term, units);
                if (last > end)
                    return last + 1;
                l = last;
                start = last + 1;
            }
        }

        if (start <= end)
            AddProse(text, lines[start].Start, lines[end].End, UnitKind.Sentence, units);
        return end + 1;
    }

    /// <summary>
    /// An outline heading of a plain-text file ("* Noteworthy changes in release 9.1", "** Bug fixes"): stars at the
    /// margin, one short line, then a blank line and indented text or a deeper heading — not a list item, whose
    /// text would follow at once.
    /// </summary>
    private static bool IsOutlineHeading(string text, List<Line> lines, int i)
    {
        var line = lines[i];
        if (line.Indent != 0 || text[line.ContentStart] != '*' || i + 2 >= lines.Count || lines[i + 1].Kind != LineKind.Blank)
            return false;
        var next = lines[i + 2];
        var stars = Stars(text, line);
        var opens = (next.Kind is LineKind.Text or LineKind.Item && next.Indent > 0) || (next.Kind == LineKind.Item && next.Indent == 0 && Stars(text, next) > stars);
        return opens && line.End - line.ContentStart <= 80 && text[line.End - 1] is not ('.' or ',' or ';');

        static int Stars(string text, Line line)
        {
            var at = line.ContentStart;
            while (at < line.End && text[at] == '*')
                at++;
            return at - line.ContentStart;
        }
    }

    private static bool IsHeadingLike(string text, Line line)
    {
        var length = line.End - line.ContentStart;
        var last = text[line.End - 1];
        return length is > 0 and <= 72 && last is not ('.' or ',' or ';' or '!' or '?') && char.IsLetterOrDigit(text[line.ContentStart]);
    }

    /// <summary>Most lines end as statements or braces do: code, one unit a line.</summary>
    private static bool LooksLikeCode(string text, List<Line> lines, int first, int end)
    {
        if (end - first < 1)
            return false;
        var code = 0;
        for (var l = first; l <= end; l++)
        {
            var last = text[lines[l].End - 1];
            if (last is ';' or '{' or '}' || (last == ')' && text.AsSpan(lines[l].ContentStart, lines[l].End - lines[l].ContentStart).Contains('(')
                && !text.AsSpan(lines[l].ContentStart, lines[l].End - lines[l].ContentStart).Contains(' ')))
                code++;
        }

        return code * 2 > end - first + 1;
    }

    private static void AddBlock(string text, List<Line> lines, int first, int last, UnitKind kind, List<Unit> units)
    {
        if (lines[last].End - lines[first].Start <= MaxUnitCharacters)
        {
            Add(text, lines[first].Start, lines[last].End, kind, units);
            return;
        }

        for (var l = first; l <= last; l++)
            Add(text, lines[l].Start, lines[l].End, kind, units);
    }

    /// <summary>An item or definition: whole when it is short enough, else cut at its sentences.</summary>
    private static void AddLong(string text, int start, int end, UnitKind kind, List<Unit> units)
    {
        if (end - start <= MaxUnitCharacters)
            Add(text, start, end, kind, units);
        else
            AddProse(text, start, end, kind, units);
    }

    /// <summary>Sentences of [start, end): a sentence ends at . ! ? before white space and a likely sentence start, not at an abbreviation; line breaks do not end one.</summary>
    private static void AddProse(string text, int start, int end, UnitKind kind, List<Unit> units)
    {
        var from = start;
        foreach (var match in ProseBoundary().EnumerateMatches(text.AsSpan(start, end - start)))
        {
            var cut = start + match.Index + match.Length;
            if (text[start + match.Index] is '.' && SentenceSplitter.IsAbbreviation(text, start + match.Index))
                continue;
            Add(text, from, cut, kind, units);
            from = cut;
        }

        Add(text, from, end, kind, units);
    }

    private static void Add(string text, int start, int end, UnitKind kind, List<Unit> units)
    {
        while (start < end && char.IsWhiteSpace(text[start]))
            start++;
        while (end > start && char.IsWhiteSpace(text[end - 1]))
            end--;
        if (end > start)
            units.Add(new Unit(start, end, kind));
    }

    private enum LineKind
    {
        Blank,
        Text,
        Item,
        Heading,
        Row,
        Fence,
    }

    /// <summary>A line [Start, End) without its line break; Indent counts leading columns (a tab to the next multiple of 8).</summary>
    private readonly record struct Line(int Start, int End, int ContentStart, int Indent, int ContentIndent, LineKind Kind);

    private static List<Line> Lines(string text)
    {
        var lines = new List<Line>();
        var start = 0;
        while (start <= text.Length)
        {
            var newline = text.IndexOf('\n', start);
            var end = newline < 0 ? text.Length : newline;
            var lineEnd = end > start && text[end - 1] == '\r' ? end - 1 : end;
            lines.Add(Classify(text, start, lineEnd));
            if (newline < 0)
                break;
            start = newline + 1;
        }

        // A setext heading: a line of text underlined by === or --- is a heading with its underline.
        for (var l = 1; l < lines.Count; l++)
        {
            if (lines[l - 1].Kind == LineKind.Text && IsUnderline(text, lines[l]))
            {
                lines[l - 1] = lines[l - 1] with { End = lines[l].End, Kind = LineKind.Heading };
                lines[l] = lines[l] with { Kind = LineKind.Blank };
            }
        }

        return lines;
    }

    private static bool IsUnderline(string text, Line line)
    {
        var content = text.AsSpan(line.ContentStart, line.End - line.ContentStart).TrimEnd();
        return content.Length >= 3 && (content.IndexOfAnyExcept('=') < 0 || content.IndexOfAnyExcept('-') < 0);
    }

    private static Line Classify(string text, int start, int end)
    {
        var indent = 0;
        var content = start;
        while (content < end && text[content] is ' ' or '\t')
        {
            indent = text[content] == '\t' ? ((indent / 8) + 1) * 8 : indent + 1;
            content++;
        }

        if (content == end)
            return new Line(start, end, content, indent, indent, LineKind.Blank);
        var span = text.AsSpan(content, end - content);
        if (span.StartsWith("```") || span.StartsWith("~~~"))
            return new Line(start, end, content, indent, indent, LineKind.Fence);
        if (MarkdownHeading().IsMatch(span))
            return new Line(start, end, content, indent, indent, LineKind.Heading);
        if (span[0] == '|' && span.Length > 1)
            return new Line(start, end, content, indent, indent, LineKind.Row);
        foreach (var match in ItemMarker().EnumerateMatches(span))
            return new Line(start, end, content, indent, indent + match.Length, LineKind.Item);
        return new Line(start, end, content, indent, indent, LineKind.Text);
    }

    // A list marker and the white space after it, before the item's first word: bullets of every kind, numbers, letters, (i).
    [GeneratedRegex(@"^(?:[*+\-•·▪‣◦–]|\*\*+|o(?=\s)|\d{1,3}[.)]|[a-z]{1,2}[.)](?=\s+\S)|\([0-9a-z]{1,4}\))[ \t]+(?=\S)", RegexOptions.CultureInvariant)]
    private static partial Regex ItemMarker();

    [GeneratedRegex(@"^#{1,6}(?:\s|$)")]
    private static partial Regex MarkdownHeading();

    // Unit punctuation (plus closing quotes/brackets) then white space before a likely sentence start.
    [GeneratedRegex(@"[.!?][""'”’)\]]*(?=\s+[\p{Lu}\p{N}""'“‘(\[])")]
    private static partial Regex ProseBoundary();
}

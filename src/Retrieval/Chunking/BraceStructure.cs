namespace Rag.Retrieval.Chunking;

/// <summary>
/// Cuts C-like languages (Java, JavaScript/TypeScript, Go, C/C++, Rust, ...) by brace matching:
/// a unit ends on a line that closes a brace or a statement and leaves the nesting where the unit
/// began. Strings, character literals and comments are skipped so their braces do not count.
/// </summary>
internal static class BraceStructure
{
    private readonly record struct Cut(int Position, int Depth);

    public static List<Block> Split(string text)
    {
        var cuts = FindCuts(text);
        return Units(text, cuts, 0, text.Length, depth: 0);
    }

    private static List<Block> Units(string text, List<Cut> cuts, int start, int end, int depth)
    {
        var boundaries = new List<(int, Func<int, int, Block>)> { (start, (s, e) => Unit(text, cuts, s, e, depth)) };
        foreach (var cut in cuts)
        {
            if (cut.Depth == depth && cut.Position > start && cut.Position < end)
                boundaries.Add((cut.Position, (s, e) => Unit(text, cuts, s, e, depth)));
        }

        return Block.Cover(start, end, boundaries);
    }

    private static Block Unit(string text, List<Cut> cuts, int start, int end, int depth)
    {
        var nested = cuts.Any(c => c.Depth == depth + 1 && c.Position > start && c.Position < end);
        var children = nested ? Units(text, cuts, start, end, depth + 1) : [];
        return new Block(start, end, Signature(text, start, end), children);
    }

    /// <summary>The first line of code in the unit, without comments: a readable label.</summary>
    private static string? Signature(string text, int start, int end)
    {
        foreach (var raw in text[start..end].Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal) || line.StartsWith("/*", StringComparison.Ordinal)
                || line.StartsWith('*') || line.StartsWith('#') || line.StartsWith('@'))
                continue;
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            if (brace > 0)
                line = line[..brace].TrimEnd();
            return line.Length > 100 ? line[..100] : line;
        }

        return null;
    }

    private static List<Cut> FindCuts(string text)
    {
        var cuts = new List<Cut>();
        var depth = 0;
        var lastSignificant = '\0';
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            switch (c)
            {
                case '/' when i + 1 < text.Length && text[i + 1] == '/':
                    i = SkipTo(text, i, "\n") - 1;
                    break;
                case '/' when i + 1 < text.Length && text[i + 1] == '*':
                    i = SkipTo(text, i + 2, "*/") + 1;
                    break;
                case '"' or '`':
                    i = SkipString(text, i, c);
                    lastSignificant = c;
                    break;
                case '\'':
                    // A character literal in C-like languages; Rust lifetimes ('a) have no closing quote nearby.
                    var close = text.IndexOf('\'', i + 1);
                    if (close > 0 && close - i <= 8 && !text.AsSpan(i, close - i).Contains('\n'))
                        i = SkipString(text, i, c);
                    lastSignificant = c;
                    break;
                case '{' or '(' or '[':
                    depth++;
                    lastSignificant = c;
                    break;
                case '}' or ')' or ']':
                    depth = Math.Max(0, depth - 1);
                    lastSignificant = c;
                    break;
                case '\n':
                    if (lastSignificant is '}' or ';')
                        cuts.Add(new Cut(i + 1, depth));
                    lastSignificant = '\n';
                    break;
                default:
                    if (!char.IsWhiteSpace(c))
                        lastSignificant = c;
                    break;
            }

            i++;
        }

        return cuts;
    }

    private static int SkipTo(string text, int from, string terminator)
    {
        var at = text.IndexOf(terminator, from, StringComparison.Ordinal);
        return at < 0 ? text.Length : at;
    }

    /// <summary>Returns the index of the closing quote (or the end of the line for an unclosed one).</summary>
    private static int SkipString(string text, int open, char quote)
    {
        for (var i = open + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\')
                i++;
            else if (c == quote)
                return i;
            else if (c == '\n' && quote != '`')
                return i - 1;
        }

        return text.Length - 1;
    }
}

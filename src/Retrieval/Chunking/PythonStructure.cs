namespace Rag.Retrieval.Chunking;

/// <summary>
/// Cuts Python by indentation: top-level statements (a decorated function or class is one), and
/// inside a compound statement its body's statements. Lines inside brackets, triple-quoted strings
/// or after a backslash continue the statement above them.
/// </summary>
internal static class PythonStructure
{
    private sealed record Line(int Start, int End, int Indent, bool StartsStatement, bool Blank, string Content);

    public static List<Block> Split(string text)
    {
        var lines = ReadLines(text);
        return Statements(lines, 0, lines.Count, 0, text.Length, prefix: null);
    }

    private static List<Block> Statements(List<Line> lines, int from, int to, int start, int end, string? prefix)
    {
        var indent = -1;
        for (var i = from; i < to && indent < 0; i++)
        {
            if (lines[i].StartsStatement)
                indent = lines[i].Indent;
        }

        var boundaries = new List<(int, Func<int, int, Block>)>();
        for (var i = from; i < to; i++)
        {
            var line = lines[i];
            if (!line.StartsStatement || line.Indent != indent)
                continue;
            // Decorators and comments directly above belong with the statement they introduce.
            if (i > from && IsDecorator(lines[i - 1]) && lines[i - 1].Indent == indent)
                continue;

            var headerIndex = i;
            while (headerIndex < to - 1 && IsDecorator(lines[headerIndex]))
                headerIndex++;
            var first = i;
            while (first > from && IsComment(lines[first - 1]) && lines[first - 1].Indent == indent)
                first--;

            var name = Qualify(prefix, DefinitionName(lines[headerIndex].Content));
            var bodyFrom = headerIndex + 1;
            var bodyTo = bodyFrom;
            while (bodyTo < to && (lines[bodyTo].Blank || !lines[bodyTo].StartsStatement || lines[bodyTo].Indent > indent))
                bodyTo++;
            var hasBody = lines[headerIndex].Content.TrimEnd().EndsWith(':') && bodyTo > bodyFrom;
            boundaries.Add((lines[first].Start, (s, e) =>
                new Block(s, e, name ?? prefix, hasBody ? Statements(lines, bodyFrom, bodyTo, s, e, name ?? prefix) : [])));
        }

        return boundaries.Count == 0 ? [Block.Leaf(start, end, prefix)] : Block.Cover(start, end, boundaries);
    }

    private static bool IsDecorator(Line line) => line.StartsStatement && line.Content.TrimStart().StartsWith('@');

    private static bool IsComment(Line line) => !line.Blank && line.Content.TrimStart().StartsWith('#');

    private static string? Qualify(string? prefix, string? name) =>
        name is null ? null : prefix is null ? name : $"{prefix}.{name}";

    private static string? DefinitionName(string content)
    {
        var trimmed = content.TrimStart();
        foreach (var keyword in (ReadOnlySpan<string>)["async def ", "def ", "class "])
        {
            if (!trimmed.StartsWith(keyword, StringComparison.Ordinal))
                continue;
            var rest = trimmed[keyword.Length..];
            var stop = rest.IndexOfAny(['(', ':', ' ', '[']);
            return stop > 0 ? rest[..stop] : rest.Trim();
        }

        return null;
    }

    private static List<Line> ReadLines(string text)
    {
        var lines = new List<Line>();
        var depth = 0;
        string? openTriple = null;
        var continued = false;
        var position = 0;
        while (position < text.Length)
        {
            var newline = text.IndexOf('\n', position);
            var end = newline < 0 ? text.Length : newline + 1;
            var content = text[position..end].TrimEnd('\n', '\r');
            var blank = string.IsNullOrWhiteSpace(content);
            var indent = content.Length - content.TrimStart(' ', '\t').Length;
            var startsStatement = !blank && depth == 0 && openTriple is null && !continued && !content.TrimStart().StartsWith('#');
            lines.Add(new Line(position, end, indent, startsStatement, blank, content));
            Scan(content, ref depth, ref openTriple);
            continued = content.EndsWith('\\') && openTriple is null;
            position = end;
        }

        return lines;
    }

    /// <summary>Tracks bracket depth and open triple-quoted strings across one line.</summary>
    private static void Scan(string line, ref int depth, ref string? openTriple)
    {
        char? quote = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (openTriple is not null)
            {
                if (string.CompareOrdinal(line, i, openTriple, 0, 3) == 0)
                {
                    openTriple = null;
                    i += 2;
                }

                continue;
            }

            if (quote is not null)
            {
                if (c == '\\')
                    i++;
                else if (c == quote)
                    quote = null;
                continue;
            }

            switch (c)
            {
                case '#':
                    return;
                case '"' or '\'' when i + 2 < line.Length && line[i + 1] == c && line[i + 2] == c:
                    openTriple = new string(c, 3);
                    i += 2;
                    break;
                case '"' or '\'':
                    quote = c;
                    break;
                case '(' or '[' or '{':
                    depth++;
                    break;
                case ')' or ']' or '}':
                    depth = Math.Max(0, depth - 1);
                    break;
            }
        }
    }
}

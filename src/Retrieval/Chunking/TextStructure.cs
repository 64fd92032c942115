using Rag.Text;

namespace Rag.Retrieval.Chunking;

/// <summary>
/// Cuts plain text at the headings <see cref="UnitSplitter"/> finds in it — outline stars ("* Noteworthy changes in
/// release 9.1", "** Bug fixes"), setext underlines, <c>#</c> headings, short standalone lines ("CHANGES WITH 252:",
/// "DESCRIPTION") — so a release-notes file or a rendered manual page gets heading paths as Markdown does
/// ("Noteworthy changes in release 9.1 > Bug fixes"). Text without headings stays one block.
/// </summary>
internal static class TextStructure
{
    public static List<Block> Split(string text)
    {
        var path = new List<(int Level, string Title)>();
        var boundaries = new List<(int, Func<int, int, Block>)>();
        foreach (var unit in UnitSplitter.Split(text))
        {
            if (unit.Kind != UnitKind.Heading)
                continue;
            var (level, title) = Heading(text, unit);
            if (title.Length == 0)
                continue;
            path.RemoveAll(p => p.Level >= level);
            path.Add((level, title));
            var section = string.Join(" > ", path.Select(p => p.Title));
            var lineStart = unit.Start;
            while (lineStart > 0 && text[lineStart - 1] != '\n')
                lineStart--;
            boundaries.Add((lineStart, (s, e) => Block.Leaf(s, e, section)));
        }

        return Block.Cover(0, text.Length, boundaries);
    }

    /// <summary>A heading's level (stars, hashes, underline: = 1, - 2; else 1 at the margin, 2 indented) and its title without markers.</summary>
    internal static (int Level, string Title) Heading(string text, Unit unit)
    {
        var raw = text.Substring(unit.Start, unit.Length);
        var lines = raw.Split('\n');
        var first = lines[0].Trim();
        var indented = unit.Start > 0 && text[unit.Start - 1] is ' ' or '\t';
        int level;
        if (lines.Length > 1 && lines[^1].Trim() is { Length: >= 3 } underline && (underline[0] is '=' or '-'))
            level = underline[0] == '=' ? 1 : 2;
        else if (first.StartsWith('*') || first.StartsWith('#'))
            level = first.TakeWhile(c => c == first[0]).Count();
        else
            level = indented ? 2 : 1;
        var title = first.TrimStart('*', '#').TrimEnd('#').Trim().TrimEnd(':').Trim();
        return (Math.Clamp(level, 1, 6), title);
    }
}

using Markdig;
using Markdig.Syntax;

namespace Rag.Retrieval.Chunking;

/// <summary>Cuts Markdown at its headings; a section's label is its heading path ("Install > Linux").</summary>
internal static class MarkdownStructure
{
    /// <summary>Block structure only: headings are blocks, so inline parsing (a third of the parse) is skipped.</summary>
    private static readonly MarkdownPipeline BlocksOnly = BlocksOnlyPipeline();

    /// <exception cref="Parsing.DocumentParseException">The Markdown is nested past the parser's depth limit.</exception>
    public static List<Block> Split(string text)
    {
        MarkdownDocument document;
        try
        {
            document = Markdown.Parse(text, BlocksOnly);
        }
        catch (ArgumentException)
        {
            // Markdig refuses input nested past its depth limit: the document is unreadable, not an error to retry.
            throw new Parsing.DocumentParseException(
                "The document's Markdown is nested too deeply to read (quotes, lists or tables inside each other past the parser's limit).");
        }

        var path = new List<(int Level, string Title)>();
        var boundaries = new List<(int, Func<int, int, Block>)>();
        foreach (var heading in document.OfType<HeadingBlock>())
        {
            var lineStart = heading.Span.Start;
            while (lineStart > 0 && text[lineStart - 1] != '\n')
                lineStart--;

            var title = HeadingTitle(text, heading);
            path.RemoveAll(p => p.Level >= heading.Level);
            path.Add((heading.Level, title));
            var section = string.Join(" > ", path.Select(p => p.Title));
            boundaries.Add((lineStart, (s, e) => Block.Leaf(s, e, section)));
        }

        return Block.Cover(0, text.Length, boundaries);
    }

    private static MarkdownPipeline BlocksOnlyPipeline()
    {
        var builder = new MarkdownPipelineBuilder();
        builder.InlineParsers.Clear();
        return builder.Build();
    }

    private static string HeadingTitle(string text, HeadingBlock heading)
    {
        var end = Math.Min(heading.Span.End + 1, text.Length);
        var raw = text[heading.Span.Start..end];
        var firstLine = raw.Split('\n', 2)[0];
        return firstLine.Trim().TrimStart('#').TrimEnd('#').Trim();
    }
}

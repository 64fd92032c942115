using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Rag.Retrieval.Parsing;

/// <summary>
/// Extracts the visible text of an HTML page. Headings become Markdown headings so the page is
/// chunked by its sections like a Markdown file; block elements become paragraphs.
/// </summary>
public static class HtmlTextExtractor
{
    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "head", "svg", "iframe", "object",
    };

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "section", "article", "main", "aside", "header", "footer", "nav", "blockquote",
        "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tr", "figure", "figcaption",
        "form", "fieldset", "address", "details", "summary", "hr", "body", "html",
    };

    /// <summary>
    /// Deepest element nesting accepted. Real pages nest a few dozen levels; the HTML5 tree builder's
    /// scope checks make each level cost time in proportion to the depth (100,000 nested divs: over two
    /// minutes), so a page nested deeper fails at once with this reason instead of holding a worker.
    /// </summary>
    public const int MaxDepth = 5000;

    /// <summary>Parses <paramref name="html"/> and returns its text and title.</summary>
    public static (string Text, string? Title) Extract(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        if (NestingDepth(html) > MaxDepth)
            throw new DocumentParseException($"The HTML nests elements more than {MaxDepth} levels deep; no page needs that many.");
        var document = new HtmlParser().ParseDocument(html);
        var output = new StringBuilder(html.Length / 2);
        var root = (INode?)document.Body ?? document.DocumentElement;
        if (root is not null)
            Walk(root, output, preformatted: false);

        var title = document.Title?.Trim();
        return (Normalize(output.ToString()), string.IsNullOrEmpty(title) ? null : title);
    }

    /// <summary>
    /// The nesting depth the tags spell, counted before parsing (cheaply, over the tags alone): elements
    /// that are void or whose end tag may be left out (p, li, td, ...) do not count, so it never
    /// overestimates a well-formed page.
    /// </summary>
    internal static int NestingDepth(string html)
    {
        int depth = 0, deepest = 0;
        for (var i = html.IndexOf('<', StringComparison.Ordinal); i >= 0 && i + 1 < html.Length; i = html.IndexOf('<', i + 1))
        {
            var closing = html[i + 1] == '/';
            var start = closing ? i + 2 : i + 1;
            var end = start;
            while (end < html.Length && (char.IsAsciiLetterOrDigit(html[end]) || html[end] == '-'))
                end++;
            if (end == start || !char.IsAsciiLetter(html[start]))
                continue;
            var name = html[start..end].ToLowerInvariant();
            if (NotCounted.Contains(name))
                continue;
            var close = html.IndexOf('>', end);
            if (close < 0)
                break;
            if (closing)
                depth = Math.Max(0, depth - 1);
            else if (html[close - 1] != '/')
                deepest = Math.Max(deepest, ++depth);
            i = close;
        }

        return deepest;
    }

    private static readonly HashSet<string> NotCounted = new(StringComparer.Ordinal)
    {
        // Void elements.
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
        // End tag optional.
        "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup", "rt", "rp", "colgroup", "caption",
        "html", "head", "body",
    };

    private static void Walk(INode node, StringBuilder output, bool preformatted)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText text:
                    AppendText(output, text.Data, preformatted);
                    break;
                case IElement element when Skipped.Contains(element.LocalName):
                    break;
                case IElement element:
                    WalkElement(element, output, preformatted);
                    break;
            }
        }
    }

    private static void WalkElement(IElement element, StringBuilder output, bool preformatted)
    {
        var name = element.LocalName;
        if (name is "br")
        {
            output.Append('\n');
            return;
        }

        if (name.Length == 2 && name[0] == 'h' && name[1] is >= '1' and <= '6')
        {
            Paragraph(output);
            output.Append('#', name[1] - '0').Append(' ');
            output.Append(CollapseWhitespace(element.TextContent).Trim());
            Paragraph(output);
            return;
        }

        if (name is "pre")
        {
            Paragraph(output);
            Walk(element, output, preformatted: true);
            Paragraph(output);
            return;
        }

        var block = Blocks.Contains(name);
        if (block)
            Paragraph(output);
        if (name is "li")
            output.Append("- ");
        if (name is "td" or "th")
            Cell(output);
        Walk(element, output, preformatted);
        if (name is "tr" && output.Length > 0 && output[^1] != '\n')
            output.Append(" |");
        if (block)
            Paragraph(output);
    }

    private static void AppendText(StringBuilder output, string text, bool preformatted)
    {
        if (preformatted)
        {
            output.Append(text);
            return;
        }

        var collapsed = CollapseWhitespace(text);
        if (collapsed.Length == 0)
            return;
        if (collapsed[0] == ' ' && (output.Length == 0 || char.IsWhiteSpace(output[^1])))
            collapsed = collapsed[1..];
        output.Append(collapsed);
    }

    // A table row is one line of cells, "| a | b |" as in Markdown, so a row is one unit and its cells stay apart.
    private static void Cell(StringBuilder output)
    {
        while (output.Length > 0 && output[^1] == ' ')
            output.Length--;
        output.Append(output.Length == 0 || output[^1] == '\n' ? "| " : " | ");
    }

    private static void Paragraph(StringBuilder output)
    {
        // A block opening a list item (<li><p>…) starts on the item's marker line, so the marker keeps its text.
        if (output.Length >= 2 && output[^1] == ' ' && output[^2] == '-' && (output.Length == 2 || output[^3] == '\n'))
            return;
        while (output.Length > 0 && output[^1] == ' ')
            output.Length--;
        if (output.Length > 0)
            output.Append("\n\n");
    }

    private static string CollapseWhitespace(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space)
                builder.Append(' ');
            space = false;
            builder.Append(c);
        }

        if (space)
            builder.Append(' ');
        return builder.ToString();
    }

    private static string Normalize(string text)
    {
        var lines = text.Split('\n').Select(line => line.TrimEnd());
        var builder = new StringBuilder(text.Length);
        var blank = 0;
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                blank++;
                continue;
            }

            if (builder.Length > 0)
                builder.Append(blank > 0 ? "\n\n" : "\n");
            blank = 0;
            builder.Append(line);
        }

        return builder.ToString();
    }
}

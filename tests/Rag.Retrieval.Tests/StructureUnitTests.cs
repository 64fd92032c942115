using System.Text;
using Rag.Compression.Extractive;
using Rag.Retrieval.Chunking;
using Rag.Retrieval.Parsing;
using Rag.Text;

namespace Rag.Retrieval.Tests;

/// <summary>Units and heading paths from each layout users upload, through the real parsers and chunker.</summary>
public class StructureUnitTests
{
    private static readonly DocumentChunker Chunker = new(TestSupport.Cl100k, new ChunkingOptions { MaxTokens = 512, OverlapTokens = 0 });

    [Fact]
    public void Html_list_items_and_table_rows_are_whole_units_under_their_heading_path()
    {
        const string html = """
            <html><head><title>Write Ahead Log</title></head><body>
            <h1>Server settings</h1>
            <h2>Checkpoints</h2>
            <p>Checkpoints are points in the sequence of transactions.</p>
            <ul>
              <li>checkpoint_timeout sets the maximum time between
                  automatic WAL checkpoints.</li>
              <li>checkpoint_warning writes a message to the server log.</li>
            </ul>
            <table><tr><th>setting</th><th>default</th></tr><tr><td>wal_level</td><td>replica</td></tr></table>
            </body></html>
            """;

        var document = DocumentParser.Parse(Encoding.UTF8.GetBytes(html), new DocumentKind(DocumentFormat.Html));
        var chunk = Assert.Single(Chunker.Chunk(document));
        var units = UnitSplitter.Split(chunk.Text).Select(u => (u.Kind, chunk.Text.Substring(u.Start, u.Length))).ToList();

        Assert.Equal("Server settings", chunk.Section); // a chunk's path is where it starts
        Assert.Contains(units, u => u.Kind == UnitKind.Item && u.Item2.Contains("checkpoint_timeout", StringComparison.Ordinal) && u.Item2.EndsWith("automatic WAL checkpoints.", StringComparison.Ordinal));
        Assert.Contains(units, u => u.Kind == UnitKind.Item && u.Item2.EndsWith("checkpoint_warning writes a message to the server log.", StringComparison.Ordinal));
        Assert.Contains(units, u => u.Kind == UnitKind.Row && u.Item2.Contains("wal_level", StringComparison.Ordinal) && u.Item2.Contains("replica", StringComparison.Ordinal));
        Assert.DoesNotContain(units, u => u.Item2.Contains("checkpoint_timeout", StringComparison.Ordinal) && u.Item2.Contains("checkpoint_warning", StringComparison.Ordinal));
    }

    [Fact]
    public void A_pdf_with_bullets_gives_one_unit_per_bullet()
    {
        var pdf = TestSupport.Pdf(["Release notes", "", "• The parser now accepts nested tables.", "• Exports keep the order of their columns.", "The next release follows in spring."]);

        var document = DocumentParser.Parse(pdf, new DocumentKind(DocumentFormat.Pdf));
        var chunk = Assert.Single(Chunker.Chunk(document));
        var units = UnitSplitter.Split(chunk.Text).Select(u => (u.Kind, chunk.Text.Substring(u.Start, u.Length))).ToList();

        Assert.Contains((UnitKind.Item, "• The parser now accepts nested tables."), units);
        Assert.Contains((UnitKind.Item, "• Exports keep the order of their columns."), units);
        Assert.Equal("page 1", chunk.Section);
    }

    [Fact]
    public void A_plain_text_news_file_gets_heading_paths_like_markdown()
    {
        const string news = """
            GNU tool NEWS

            * Noteworthy changes in release 2.0 (2024-01-01) [stable]

            ** Bug fixes

              sort no longer crashes on empty input.

            ** New features

              ls gained a --zero option.

            * Noteworthy changes in release 1.9 (2023-01-01) [stable]

            ** Bug fixes

              cp now preserves timestamps of symbolic links.
            """;

        var chunks = new DocumentChunker(TestSupport.Cl100k, new ChunkingOptions { MaxTokens = 16, OverlapTokens = 0 })
            .Chunk(new ParsedDocument(news, new DocumentKind(DocumentFormat.Text)));
        string? SectionOf(string words) => chunks.Single(c => c.Text.Contains(words, StringComparison.Ordinal)).Section;

        Assert.Equal("Noteworthy changes in release 2.0 (2024-01-01) [stable] > Bug fixes", SectionOf("sort no longer"));
        Assert.Equal("Noteworthy changes in release 2.0 (2024-01-01) [stable] > New features", SectionOf("--zero"));
        Assert.Equal("Noteworthy changes in release 1.9 (2023-01-01) [stable] > Bug fixes", SectionOf("symbolic links"));
        Assert.All(chunks, c => Assert.Equal(news.Substring(c.Start, c.Length), c.Text));
    }
}

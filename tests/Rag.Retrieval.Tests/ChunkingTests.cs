using Rag.Retrieval.Chunking;
using Rag.Retrieval.Parsing;
using Rag.Text;

namespace Rag.Retrieval.Tests;

public class ChunkingTests
{
    public static TheoryData<string, int, int> SamplesAndSizes()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var sample in new[] { "Inventory.cs", "ledger.py", "router.js", "queue.go", "Matrix.java", "ring.c", "guide.md", "page.html" })
        {
            data.Add(sample, 512, 64);
            data.Add(sample, 64, 16);
            data.Add(sample, 24, 8);
        }

        data.Add("pdf", 64, 16);
        data.Add("long-text", 48, 12);
        return data;
    }

    [Theory]
    [MemberData(nameof(SamplesAndSizes))]
    public void Every_chunk_is_exactly_its_span_of_the_source_and_within_the_size(string sample, int maxTokens, int overlapTokens)
    {
        var document = Load(sample);
        var chunker = new DocumentChunker(TestSupport.Cl100k, new ChunkingOptions { MaxTokens = maxTokens, OverlapTokens = overlapTokens });

        var chunks = chunker.Chunk(document);

        Assert.NotEmpty(chunks);
        for (var i = 0; i < chunks.Count; i++)
        {
            var chunk = chunks[i];
            Assert.Equal(i, chunk.Index);
            Assert.Equal(document.Text.Substring(chunk.Start, chunk.Length), chunk.Text);
            Assert.Equal(TestSupport.Cl100k.CountTokens(chunk.Text), chunk.TokenCount);
            Assert.InRange(chunk.TokenCount, 1, maxTokens);
            Assert.False(string.IsNullOrWhiteSpace(chunk.Text));
            if (i > 0)
                Assert.True(chunk.Start > chunks[i - 1].Start, "chunks move forward through the document");
        }

        // Nothing is lost: every non-space character is in some chunk.
        var covered = new bool[document.Text.Length];
        foreach (var chunk in chunks)
            Array.Fill(covered, true, chunk.Start, chunk.Length);
        var missed = Enumerable.Range(0, covered.Length).Where(p => !covered[p] && !char.IsWhiteSpace(document.Text[p])).ToList();
        Assert.Empty(missed);
    }

    [Fact]
    public void Markdown_sections_that_fit_are_never_split_and_code_fences_are_not_headings()
    {
        var document = TestSupport.Parse("guide.md");
        var chunks = new DocumentChunker(TestSupport.Cl100k, new ChunkingOptions { MaxTokens = 100, OverlapTokens = 0 }).Chunk(document);

        var install = Assert.Single(chunks, c => c.Text.Contains("## Installation", StringComparison.Ordinal));
        Assert.Contains("dotnet run --project src/Api\n```", install.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(chunks, c => c.Section?.Contains("This is not a heading", StringComparison.Ordinal) == true);
        Assert.Contains(chunks, c => c.Section == "Rag user guide > Setext heading" || c.Text.Contains("Setext heading\n---", StringComparison.Ordinal));
    }

    [Fact]
    public void A_markdown_section_too_big_for_one_chunk_starts_a_chunk_at_its_heading()
    {
        var document = TestSupport.Parse("guide.md");
        var chunks = new DocumentChunker(TestSupport.Cl100k, new ChunkingOptions { MaxTokens = 60, OverlapTokens = 0 }).Chunk(document);

        var install = Assert.Single(chunks, c => c.Text.StartsWith("## Installation", StringComparison.Ordinal));
        Assert.Equal("Rag user guide > Installation", install.Section);
        Assert.Contains(chunks, c => c.Section == "Rag user guide > Installation" && c.Text.Contains("dotnet run", StringComparison.Ordinal));
    }

    [Fact]
    public void CSharp_members_are_chunks_of_their_own_with_their_doc_comments()
    {
        var document = TestSupport.Parse("Inventory.cs");
        var chunks = new DocumentChunker(TestSupport.Cl100k, new ChunkingOptions { MaxTokens = 120, OverlapTokens = 0 }).Chunk(document);

        var receive = Assert.Single(chunks, c => c.Text.Contains("public void Receive", StringComparison.Ordinal));
        Assert.StartsWith("/// <summary>Adds units", receive.Text, StringComparison.Ordinal);
        Assert.EndsWith("}", receive.Text, StringComparison.Ordinal);
        Assert.Contains("_stock[sku] = _stock.TryGetValue", receive.Text, StringComparison.Ordinal);
        Assert.Equal("Shop.Inventory.Inventory.Receive", receive.Section);
        var ship = Assert.Single(chunks, c => c.Text.Contains("public bool TryShip", StringComparison.Ordinal));
        Assert.Contains("return true;", ship.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Python_functions_and_methods_stay_whole_with_their_decorators()
    {
        var document = TestSupport.Parse("ledger.py");
        var chunks = new DocumentChunker(TestSupport.Cl100k, new ChunkingOptions { MaxTokens = 70, OverlapTokens = 0 }).Chunk(document);

        var check = Assert.Single(chunks, c => c.Text.Contains("def _check", StringComparison.Ordinal));
        Assert.Contains("@staticmethod", check.Text, StringComparison.Ordinal);
        Assert.Contains("raise ValueError", check.Text, StringComparison.Ordinal);
        var export = Assert.Single(chunks, c => c.Text.Contains("async def export", StringComparison.Ordinal));
        Assert.Contains("await sink.write", export.Text, StringComparison.Ordinal);
        Assert.Contains(chunks, c => c.Section == "Ledger" && c.Text.StartsWith("class Ledger:", StringComparison.Ordinal));
        Assert.DoesNotContain(chunks, c => c.Section == "not_a_function");
    }

    [Theory]
    [InlineData("queue.go", "func (q *Queue[T]) Pop()", "return item, nil")]
    [InlineData("Matrix.java", "public Matrix times(Matrix other)", "return result;")]
    [InlineData("router.js", "match(method, path)", "return null;")]
    [InlineData("ring.c", "int ring_put(struct ring *r, unsigned char c)", "r->count++;")]
    public void Brace_language_functions_are_not_split_when_they_fit(string sample, string signature, string bodyLine)
    {
        var document = TestSupport.Parse(sample);
        var chunks = new DocumentChunker(TestSupport.Cl100k, new ChunkingOptions { MaxTokens = 200, OverlapTokens = 0 }).Chunk(document);

        var chunk = Assert.Single(chunks, c => c.Text.Contains(signature, StringComparison.Ordinal));
        Assert.Contains(bodyLine, chunk.Text, StringComparison.Ordinal);
        var open = chunk.Text.Count(c => c == '{');
        var close = chunk.Text.Count(c => c == '}');
        Assert.True(close >= open - 1, $"the chunk holding {signature} ends its body");
    }

    [Fact]
    public void Text_cut_inside_one_unit_overlaps_the_previous_chunk()
    {
        var document = Load("long-text");
        var chunks = new DocumentChunker(TestSupport.Cl100k, new ChunkingOptions { MaxTokens = 48, OverlapTokens = 16 }).Chunk(document);

        Assert.True(chunks.Count > 3);
        for (var i = 1; i < chunks.Count; i++)
            Assert.True(chunks[i].Start < chunks[i - 1].End, $"chunk {i} repeats the end of chunk {i - 1}");
    }

    [Fact]
    public void A_word_longer_than_a_chunk_is_cut_by_tokens_without_breaking_characters()
    {
        var text = "start " + string.Concat(Enumerable.Repeat("abc😀def", 200)) + " end";
        var document = new ParsedDocument(text, new DocumentKind(DocumentFormat.Text));
        var chunks = new DocumentChunker(TestSupport.Cl100k, new ChunkingOptions { MaxTokens = 32, OverlapTokens = 0 }).Chunk(document);

        Assert.True(chunks.Count > 5);
        Assert.All(chunks, c =>
        {
            Assert.InRange(c.TokenCount, 1, 32);
            Assert.False(char.IsLowSurrogate(c.Text[0]), "a chunk never starts inside a surrogate pair");
            Assert.False(char.IsHighSurrogate(c.Text[^1]), "a chunk never ends inside a surrogate pair");
        });
    }

    [Fact]
    public void Pdf_chunks_are_labelled_with_their_page()
    {
        var document = Load("pdf");
        var chunks = new DocumentChunker(TestSupport.Cl100k, new ChunkingOptions { MaxTokens = 16, OverlapTokens = 0 }).Chunk(document);

        Assert.Contains(chunks, c => c.Section == "page 1" && c.Text.Contains("first page", StringComparison.Ordinal));
        Assert.Contains(chunks, c => c.Section == "page 2" && c.Text.Contains("second page", StringComparison.Ordinal));
    }

    internal static ParsedDocument Load(string sample) => sample switch
    {
        "pdf" => DocumentParser.Parse(
            TestSupport.Pdf(["This is the first page.", "It has two lines of text."], ["This is the second page about lighthouses."]),
            new DocumentKind(DocumentFormat.Pdf)),
        "long-text" => new ParsedDocument(
            string.Join(" ", Enumerable.Range(1, 60).Select(i => $"Sentence number {i} talks about topic {i % 7} at some length.")),
            new DocumentKind(DocumentFormat.Text)),
        _ => TestSupport.Parse(sample),
    };

    [Fact]
    public void Markdown_nested_past_the_parsers_limit_is_unreadable_with_its_reason_not_an_error()
    {
        var text = string.Concat(Enumerable.Repeat("> ", 20_000)) + "deep";
        var chunker = new DocumentChunker(TestSupport.Cl100k, new ChunkingOptions { MaxTokens = 100, OverlapTokens = 0 });

        var error = Assert.Throws<DocumentParseException>(() => chunker.Chunk(new ParsedDocument(text, new DocumentKind(DocumentFormat.Markdown))));

        Assert.Contains("nested", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}

using System.Text;
using Rag.Retrieval.Parsing;

namespace Rag.Retrieval.Tests;

public class ParsingTests
{
    [Theory]
    [InlineData("notes.md", null, DocumentFormat.Markdown, null)]
    [InlineData("NOTES.MARKDOWN", "application/octet-stream", DocumentFormat.Markdown, null)]
    [InlineData("page.htm", null, DocumentFormat.Html, null)]
    [InlineData("paper.pdf", "application/octet-stream", DocumentFormat.Pdf, null)]
    [InlineData("main.py", null, DocumentFormat.Code, "python")]
    [InlineData("App.cs", null, DocumentFormat.Code, "csharp")]
    [InlineData("index.tsx", null, DocumentFormat.Code, "typescript")]
    [InlineData("vec.hpp", null, DocumentFormat.Code, "cpp")]
    [InlineData(null, "text/markdown; charset=utf-8", DocumentFormat.Markdown, null)]
    [InlineData("README", null, DocumentFormat.Text, null)]
    [InlineData("blob", "application/pdf", DocumentFormat.Pdf, null)]
    public void Kinds_are_detected_from_the_extension_first_then_the_media_type(string? fileName, string? mediaType, DocumentFormat format, string? language)
    {
        var kind = DocumentKinds.Detect(fileName, mediaType);

        Assert.Equal(new DocumentKind(format, language), kind);
        Assert.Equal(kind, DocumentKind.Parse(kind!.ToString()));
    }

    [Theory]
    [InlineData("report.docx", null)]
    [InlineData("photo.png", "image/png")]
    [InlineData(null, "application/zip")]
    public void Unsupported_kinds_are_not_detected(string? fileName, string? mediaType) =>
        Assert.Null(DocumentKinds.Detect(fileName, mediaType));

    [Fact]
    public void Html_keeps_visible_text_and_headings_and_drops_scripts_and_styles()
    {
        var parsed = TestSupport.Parse("page.html");

        Assert.Equal("Lighthouse keeping", parsed.Title);
        Assert.Contains("# Lighthouse keeping", parsed.Text, StringComparison.Ordinal);
        Assert.Contains("## Supplies", parsed.Text, StringComparison.Ordinal);
        Assert.Contains("The keeper lit the lamp at dusk every evening", parsed.Text, StringComparison.Ordinal);
        Assert.Contains("- Paraffin oil, delivered monthly", parsed.Text, StringComparison.Ordinal);
        Assert.Contains("line one\n  line two, indented", parsed.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("must not be indexed", parsed.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("color: red", parsed.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_nested_past_the_depth_limit_fails_at_once_with_the_reason()
    {
        // 100,000 nested divs held a worker for minutes in the HTML5 tree builder.
        var html = "<html><body>" + string.Concat(Enumerable.Repeat("<div>", 100_000)) + "deep" + string.Concat(Enumerable.Repeat("</div>", 100_000)) + "</body></html>";

        var error = Assert.Throws<DocumentParseException>(() => DocumentParser.Parse(System.Text.Encoding.UTF8.GetBytes(html), new DocumentKind(DocumentFormat.Html)));
        Assert.Contains("levels deep", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_with_many_elements_whose_end_tags_are_optional_is_not_deep()
    {
        // Thousands of unclosed paragraphs and list items are siblings, not a nest.
        var html = "<html><body><ul>" + string.Concat(Enumerable.Repeat("<li><p>item<br>", 8000)) + "</ul><div><img src=x><span>end</span></div></body></html>";

        Assert.True(HtmlTextExtractor.NestingDepth(html) < 10);
        Assert.Contains("end", DocumentParser.Parse(System.Text.Encoding.UTF8.GetBytes(html), new DocumentKind(DocumentFormat.Html)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Pdf_text_is_extracted_page_by_page()
    {
        var pdf = TestSupport.Pdf(["The harbour master keeps the tide tables."], ["Ships may enter at high water only."]);

        var parsed = DocumentParser.Parse(pdf, new DocumentKind(DocumentFormat.Pdf));

        var pages = parsed.Text.Split(PdfTextExtractor.PageSeparator);
        Assert.Equal(2, pages.Length);
        Assert.Equal("The harbour master keeps the tide tables.", pages[0]);
        Assert.Equal("Ships may enter at high water only.", pages[1]);
    }

    [Fact]
    public void A_corrupt_pdf_fails_with_a_reason_for_the_uploader()
    {
        var pdf = TestSupport.Pdf(["Some text."]);
        var corrupt = pdf[..(pdf.Length / 3)];

        var error = Assert.Throws<DocumentParseException>(() => DocumentParser.Parse(corrupt, new DocumentKind(DocumentFormat.Pdf)));
        Assert.Contains("could not be read as a PDF", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binary_junk_sent_as_text_fails_with_a_reason()
    {
        var junk = new byte[256];
        new Random(7).NextBytes(junk);

        var error = Assert.Throws<DocumentParseException>(() => DocumentParser.Parse(junk, new DocumentKind(DocumentFormat.Text)));
        Assert.Contains("not valid UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nul_characters_mark_binary_content()
    {
        var error = Assert.Throws<DocumentParseException>(() =>
            DocumentParser.Parse("abc\0def"u8.ToArray(), new DocumentKind(DocumentFormat.Text)));
        Assert.Contains("binary", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_byte_order_mark_is_not_part_of_the_text()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat("héllo wörld"u8.ToArray()).ToArray();

        Assert.Equal("héllo wörld", DocumentParser.Parse(bytes, new DocumentKind(DocumentFormat.Text)).Text);
    }

    [Fact]
    public void An_empty_document_fails() =>
        Assert.Throws<DocumentParseException>(() => DocumentParser.Parse(" \n\t "u8.ToArray(), new DocumentKind(DocumentFormat.Markdown)));
}

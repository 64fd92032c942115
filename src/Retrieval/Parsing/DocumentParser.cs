namespace Rag.Retrieval.Parsing;

/// <summary>Turns an uploaded file into text, by its kind.</summary>
public static class DocumentParser
{
    /// <exception cref="DocumentParseException">The content cannot be read as <paramref name="kind"/>.</exception>
    public static ParsedDocument Parse(byte[] content, DocumentKind kind, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(kind);
        switch (kind.Format)
        {
            case DocumentFormat.Pdf:
                var (pdfText, pdfTitle) = PdfTextExtractor.Extract(content, cancellationToken);
                return new ParsedDocument(pdfText, kind, pdfTitle);
            case DocumentFormat.Html:
                var (htmlText, htmlTitle) = HtmlTextExtractor.Extract(TextDecoding.DecodeUtf8(content));
                if (string.IsNullOrWhiteSpace(htmlText))
                    throw new DocumentParseException("The HTML page has no visible text.");
                return new ParsedDocument(htmlText, kind, htmlTitle);
            default:
                var text = TextDecoding.DecodeUtf8(content);
                if (string.IsNullOrWhiteSpace(text))
                    throw new DocumentParseException("The document is empty.");
                return new ParsedDocument(text, kind);
        }
    }
}

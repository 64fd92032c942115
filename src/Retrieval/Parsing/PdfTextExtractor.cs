using System.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace Rag.Retrieval.Parsing;

/// <summary>Extracts text from a PDF with PdfPig, in reading order, one paragraph block per page.</summary>
public static class PdfTextExtractor
{
    /// <summary>Separates pages in the extracted text; the PDF chunker splits on it.</summary>
    public const string PageSeparator = "\n\n\f\n\n";

    /// <exception cref="DocumentParseException">The bytes are not a readable PDF, or it has no text layer.</exception>
    public static (string Text, string? Title) Extract(byte[] bytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        try
        {
            using var pdf = PdfDocument.Open(bytes);
            var text = new StringBuilder();
            foreach (var page in pdf.GetPages())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (text.Length > 0)
                    text.Append(PageSeparator);
                text.Append(ContentOrderTextExtractor.GetText(page).Trim());
            }

            if (string.IsNullOrWhiteSpace(text.ToString().Replace("\f", "", StringComparison.Ordinal)))
                throw new DocumentParseException("The PDF has no text layer (a scanned PDF needs OCR first, which Rag does not do).");

            var title = pdf.Information.Title?.Trim();
            return (text.ToString(), string.IsNullOrEmpty(title) ? null : title);
        }
        catch (Exception e) when (e is not DocumentParseException and not OperationCanceledException)
        {
            // PdfPig throws a variety of exception types for damaged files; the uploader only
            // needs to know that the file could not be read, never the parser's internals.
            throw new DocumentParseException("The file could not be read as a PDF: it is damaged, encrypted or not a PDF.", e);
        }
    }
}

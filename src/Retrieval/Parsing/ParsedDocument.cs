namespace Rag.Retrieval.Parsing;

/// <summary>
/// The text extracted from a document. Every chunk's character span points into <see cref="Text"/>.
/// </summary>
/// <param name="Text">The document's text: the file itself for text, Markdown and code; the extracted text for HTML and PDF.</param>
/// <param name="Kind">The document's kind.</param>
/// <param name="Title">A title found in the content (HTML &lt;title&gt;, PDF metadata), if any.</param>
public sealed record ParsedDocument(string Text, DocumentKind Kind, string? Title = null);

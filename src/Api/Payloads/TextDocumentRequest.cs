namespace Rag.Api.Payloads;

/// <summary>A document sent as JSON text.</summary>
/// <param name="Text">The document's content.</param>
/// <param name="Title">A title to show with results.</param>
/// <param name="Tags">Tags to filter search by.</param>
/// <param name="FileName">A file name whose extension says the format (e.g. notes.md, main.py); plain text if absent.</param>
/// <param name="ContentType">A media type saying the format (e.g. text/markdown), used when there is no file name.</param>
public sealed record TextDocumentRequest(string? Text, string? Title = null, IList<string>? Tags = null, string? FileName = null, string? ContentType = null);

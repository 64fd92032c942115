using Rag.Contracts;

namespace Rag.Retrieval.Parsing;

/// <summary>
/// The document's content cannot be read as its declared format. Not transient: running the
/// job again will not help, so the document ends as failed with <see cref="Exception.Message"/>
/// as its reason. Messages are written for the uploader and carry no internal detail.
/// </summary>
public sealed class DocumentParseException : RagException
{
    /// <summary>The document cannot be read, and why (for the uploader).</summary>
    public DocumentParseException(string message) : base(message, isTransient: false) { }

    /// <summary>The document cannot be read, why (for the uploader), and the parser's error.</summary>
    public DocumentParseException(string message, Exception inner) : base(message, isTransient: false, inner) { }

    /// <summary>The document cannot be read.</summary>
    public DocumentParseException() { }
}

using Rag.Contracts;

namespace Rag.Retrieval.Parsing;

/// <summary>
/// The document's content cannot be read as its declared format. Not transient: running the
/// job again will not help, so the document ends as failed with <see cref="Exception.Message"/>
/// as its reason. Messages are written for the uploader and carry no internal detail.
/// </summary>
public sealed class DocumentParseException : RagException
{
    public DocumentParseException(string message) : base(message, isTransient: false) { }

    public DocumentParseException(string message, Exception inner) : base(message, isTransient: false, inner) { }

    public DocumentParseException() { }
}

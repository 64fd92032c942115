namespace Rag.Contracts;

/// <summary>
/// An error of Rag's own that says whether trying again could help, as <c>DbException.IsTransient</c> does:
/// a full queue or a store that did not answer, yes; a request or a document that is wrong, no.
/// </summary>
public class RagException : Exception
{
    /// <summary>An error that says nothing about retrying (not transient).</summary>
    public RagException()
    {
    }

    /// <summary>An error that is not transient.</summary>
    /// <param name="message">What went wrong, for the caller.</param>
    public RagException(string message)
        : base(message)
    {
    }

    /// <summary>An error that is not transient, caused by <paramref name="innerException"/>.</summary>
    /// <param name="message">What went wrong, for the caller.</param>
    /// <param name="innerException">The cause.</param>
    public RagException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>An error that says whether the same request may succeed later.</summary>
    /// <param name="message">What went wrong, for the caller.</param>
    /// <param name="isTransient">Whether the same request may succeed later.</param>
    /// <param name="innerException">The cause, if any.</param>
    public RagException(string message, bool isTransient, Exception? innerException = null)
        : base(message, innerException)
    {
        IsTransient = isTransient;
    }

    /// <summary>Whether the same request may succeed if tried again later.</summary>
    public bool IsTransient { get; }

    /// <summary>
    /// What may be shown as a failed document's reason, to whoever owns it (no internals, no other tenant's data); null
    /// when the error has nothing more to say than that it failed.
    /// </summary>
    public virtual string? Reason => null;
}

using System.Data.Common;

namespace Rag.Contracts;

/// <summary>Whether an error is worth a retry, from what the error itself says.</summary>
public static class Transience
{
    /// <summary>
    /// True when retrying cannot help: a <see cref="RagException"/> or a <see cref="DbException"/> that says it is not
    /// transient, anywhere in the chain of causes. Errors that say nothing (a bug, a lost connection) may be retried.
    /// </summary>
    /// <param name="exception">The error.</param>
    public static bool IsPermanent(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case RagException rag:
                    return !rag.IsTransient;
                case DbException db:
                    return !db.IsTransient;
            }
        }

        return false;
    }

    /// <summary>The first <see cref="RagException.Reason"/> in the chain of causes, or null.</summary>
    /// <param name="exception">The error.</param>
    public static string? ReasonOf(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is RagException { Reason: { } reason })
                return reason;
        }

        return null;
    }
}

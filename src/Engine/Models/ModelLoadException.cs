using Rag.Contracts;

namespace Rag.Engine.Models;

/// <summary>A model folder that cannot be used, with a message that says what to fix. Not transient.</summary>
public sealed class ModelLoadException : RagException
{
    /// <summary>A model that cannot be used.</summary>
    public ModelLoadException()
    {
    }

    /// <summary>A model that cannot be used, and what to fix.</summary>
    public ModelLoadException(string message)
        : base(message)
    {
    }

    /// <summary>A model that cannot be used, what to fix, and the cause.</summary>
    public ModelLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

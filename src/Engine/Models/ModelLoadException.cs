using Rag.Contracts;

namespace Rag.Engine.Models;

/// <summary>A model folder that cannot be used, with a message that says what to fix. Not transient.</summary>
public sealed class ModelLoadException : RagException
{
    public ModelLoadException()
    {
    }

    public ModelLoadException(string message)
        : base(message)
    {
    }

    public ModelLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

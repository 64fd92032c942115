namespace Rag.Compression;

/// <summary>A request the compressor cannot run, naming the request field at fault. Not transient.</summary>
public sealed class CompressionRequestException(string field, string message) : Rag.Contracts.RagException(message, isTransient: false)
{
    /// <summary>The request field at fault (snake_case, as the wire names it).</summary>
    public string Field { get; } = field;
}

namespace Rag.Compression;

/// <summary>A request the compressor cannot run, naming the request field at fault. Not transient.</summary>
public sealed class CompressionRequestException(string field, string message) : Rag.Contracts.RagException(message, isTransient: false)
{
    public string Field { get; } = field;
}

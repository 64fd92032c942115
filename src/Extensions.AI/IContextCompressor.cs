using Rag.Compression;

namespace Rag.Extensions.AI;

/// <summary>Compresses one prompt: Rag's compressor in this process, or a Rag service's <c>/v1/compress</c>.</summary>
public interface IContextCompressor
{
    /// <summary>Compresses the request's prompt to its budget.</summary>
    Task<CompressionResult> CompressAsync(CompressionRequest request, CancellationToken cancellationToken);
}

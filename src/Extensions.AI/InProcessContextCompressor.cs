using Rag.Compression;

namespace Rag.Extensions.AI;

/// <summary>Rag's <see cref="PromptCompressor"/> in this process; <paramref name="scope"/> keeps its cached work to one tenant.</summary>
public sealed class InProcessContextCompressor(PromptCompressor compressor, string? scope = null) : IContextCompressor
{
    /// <inheritdoc/>
    public Task<CompressionResult> CompressAsync(CompressionRequest request, CancellationToken cancellationToken) =>
        compressor.CompressAsync(scope is null ? request : request with { Scope = scope }, cancellationToken);
}

using Rag.Client;
using Rag.Compression;

namespace Rag.Extensions.AI;

/// <summary>Compresses one prompt: Rag's compressor in this process, or a Rag service's <c>/v1/compress</c>.</summary>
public interface IContextCompressor
{
    Task<CompressionResult> CompressAsync(CompressionRequest request, CancellationToken cancellationToken);
}

/// <summary>Rag's <see cref="PromptCompressor"/> in this process; <paramref name="scope"/> keeps its cached work to one tenant.</summary>
public sealed class InProcessContextCompressor(PromptCompressor compressor, string? scope = null) : IContextCompressor
{
    public Task<CompressionResult> CompressAsync(CompressionRequest request, CancellationToken cancellationToken) =>
        compressor.CompressAsync(scope is null ? request : request with { Scope = scope }, cancellationToken);
}

/// <summary>A running Rag service's <c>POST /v1/compress</c>.</summary>
public sealed class RemoteContextCompressor(RagClient client) : IContextCompressor
{
    public async Task<CompressionResult> CompressAsync(CompressionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await client.CompressAsync(new RagCompressRequest(
            request.Context, request.Instruction, request.Question, request.Rate, request.TargetTokens,
            request.Method.WireName(), request.ContentType), cancellationToken);
        return new CompressionResult(
            response.CompressedPrompt, response.OriginTokens, response.CompressedTokens, response.Ratio, response.Rate,
            response.CompressedTokens, response.BudgetMet, CompressionMethodNames.Parse(response.Method),
            [.. response.KeptSpans.Select(k => new KeptSpan(k.Context, k.Start, k.End))],
            response.CacheHits, response.CacheMisses, response.ElapsedMs, response.Note);
    }
}

using Rag.Client;
using Rag.Compression;

namespace Rag.Extensions.AI;

/// <summary>A running Rag service's <c>POST /v1/compress</c>.</summary>
public sealed class RemoteContextCompressor(RagClient client) : IContextCompressor
{
    /// <inheritdoc/>
    public async Task<CompressionResult> CompressAsync(CompressionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await client.CompressAsync(new RagCompressRequest(
            request.Context, request.Instruction, request.Question, request.Rate, request.TargetTokens,
            request.Method.Name, request.ContentType), cancellationToken);
        return new CompressionResult(
            response.CompressedPrompt, response.OriginTokens, response.CompressedTokens, response.Ratio, response.Rate,
            response.CompressedTokens, response.BudgetMet, CompressionMethod.Parse(response.Method),
            [.. response.KeptSpans.Select(k => new KeptSpan(k.Context, k.Start, k.End))],
            response.CacheHits, response.CacheMisses, response.ElapsedMs, response.Note);
    }
}

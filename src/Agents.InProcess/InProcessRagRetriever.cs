using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rag.Client;
using Rag.Compression;
using Rag.Engine.Answers;
using Rag.Engine.Search;
using Rag.Hosting;

namespace Rag.Agents;

/// <summary>The retriever over Rag.Engine in this process (register with <see cref="RagAgentsInProcess.AddRagAgentsInProcess"/>).</summary>
public sealed class InProcessRagRetriever(SearchService search, PromptCompressor compressor, AskService ask) : IRagRetriever
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <inheritdoc/>
    public async Task<RagSearchResponse> SearchAsync(string collection, RagSearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        SearchMode? mode = request.Mode is null ? null : Enum.Parse<SearchMode>(request.Mode, ignoreCase: true);
        var outcome = await search.SearchAsync(collection, new SearchQuery(request.Query, request.TopK ?? 5, request.Tags ?? [], mode), cancellationToken);
        return new RagSearchResponse(
            [.. outcome.Results.Select(r => new RagSearchHit(r.DocumentId, r.ChunkId, r.Text, r.Score, r.Start, r.End, r.TokenCount, r.Section, r.Title))],
            outcome.Mode.ToString().ToLowerInvariant(),
            System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <inheritdoc/>
    public async Task<RagCompressResponse> CompressAsync(RagCompressRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var method = request.Method is null ? default : CompressionMethod.Parse(request.Method);
        var result = await compressor.CompressAsync(
            new CompressionRequest(request.Context, request.Instruction, request.Question, request.Rate, request.TargetToken, method, request.ContentType), cancellationToken);
        return new RagCompressResponse(result.CompressedPrompt, result.OriginTokens, result.CompressedTokens, result.Ratio, result.Rate, result.BudgetMet,
            result.Method.Name, [.. result.KeptSpans.Select(s => new RagKeptSpan(s.Context, s.Start, s.End))], result.CacheHits, result.CacheMisses, result.ElapsedMs, result.Note);
    }

    /// <inheritdoc/>
    public async Task<RagAnswer> AskAsync(string collection, RagAskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await ask.AskAsync(collection, new AskQuery(request.Question, request.TopK ?? 5, request.BudgetTokens ?? 256, request.Tags ?? []), cancellationToken);
        return new RagAnswer(result.Answer, result.Mode, result.Note,
            [.. result.Citations.Select(c => new RagCitation(c.Number, c.DocumentId, c.ChunkId, c.Start, c.End, c.Quote, c.Score))],
            JsonSerializer.SerializeToElement(result.Figures, Json), result.CompressedPrompt);
    }

    /// <inheritdoc/>
    public Uri Link(string collection, string documentId, int start, int end) =>
        RagLinks.InProcess(collection, documentId, start, end);
}

/// <summary>Registers Rag in this process for Agent Framework agents.</summary>
public static class RagAgentsInProcess
{
    /// <summary>Rag.Engine in this process (stores under <c>Rag:DataPath</c>, models from <c>Rag:Models</c>) and its <see cref="IRagRetriever"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration with the <c>Rag</c> section.</param>
    public static IServiceCollection AddRagAgentsInProcess(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRagInProcess(configuration);
        services.AddSingleton<IRagRetriever, InProcessRagRetriever>();
        return services;
    }
}

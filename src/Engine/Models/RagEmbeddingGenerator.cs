using Microsoft.Extensions.AI;
using Rag.Retrieval.Vectors;

namespace Rag.Engine.Models;

/// <summary>What a text is, for an asymmetric encoder (arctic-embed reads queries after a prefix of their own).</summary>
public enum EmbeddingPurpose
{
    /// <summary>A passage to index: read as ingestion reads chunks.</summary>
    Document,

    /// <summary>A search query: read as search reads queries (with the encoder's query prefix).</summary>
    Query,
}

/// <summary>
/// Rag's encoder as Microsoft.Extensions.AI's <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>: exactly the
/// vectors Rag's index holds and its searches use (the built-in encoders or a configured folder), so an application
/// can embed with the same model, prefixes and normalisation. <c>AddRag</c>/<c>AddRagInProcess</c> register one for
/// documents (unkeyed) and one for queries (keyed <c>"query"</c>); a call can also choose with
/// <see cref="EmbeddingGenerationOptions.AdditionalProperties"/> <c>input_type</c> = <c>query</c> or <c>document</c>.
/// </summary>
/// <param name="embedder">The engine's encoder.</param>
/// <param name="purpose">How texts are read when a call does not say.</param>
public sealed class RagEmbeddingGenerator(ITextEmbedder embedder, EmbeddingPurpose purpose = EmbeddingPurpose.Document) : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The key of the query generator in dependency injection.</summary>
    public const string QueryKey = "query";

    /// <summary>The <see cref="EmbeddingGenerationOptions.AdditionalProperties"/> key that chooses the purpose per call.</summary>
    public const string InputTypeProperty = "input_type";

    private readonly EmbeddingGeneratorMetadata _metadata = new("rag", defaultModelId: embedder.ModelId, defaultModelDimensions: embedder.Dimensions);

    /// <inheritdoc/>
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (options?.Dimensions is { } dimensions && dimensions != embedder.Dimensions)
            throw new ArgumentException($"{embedder.ModelId} makes {embedder.Dimensions}-dimensional vectors; {dimensions} were asked for.", nameof(options));
        var texts = values.ToList();
        var embeddings = PurposeOf(options) == EmbeddingPurpose.Query
            ? await embedder.EmbedQueriesAsync(texts, cancellationToken)
            : await embedder.EmbedAsync(texts, cancellationToken);
        var generated = new GeneratedEmbeddings<Embedding<float>>(embeddings.Select(e => new Embedding<float>(e.Vector)
        {
            ModelId = embedder.ModelId,
            CreatedAt = DateTimeOffset.UtcNow,
            AdditionalProperties = new AdditionalPropertiesDictionary { ["tokens"] = e.Tokens, ["truncated"] = e.Truncated },
        }))
        {
            Usage = new UsageDetails { InputTokenCount = embeddings.Sum(e => (long)e.Tokens), TotalTokenCount = embeddings.Sum(e => (long)e.Tokens) },
        };
        return generated;
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
            return null;
        if (serviceType == typeof(EmbeddingGeneratorMetadata))
            return _metadata;
        return serviceType.IsInstanceOfType(this) ? this : serviceType.IsInstanceOfType(embedder) ? embedder : null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // The encoder belongs to the engine (ModelHost), not to this view of it.
    }

    private EmbeddingPurpose PurposeOf(EmbeddingGenerationOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(InputTypeProperty, out var value) == true
            ? value?.ToString()?.ToLowerInvariant() switch
            {
                "query" or "search_query" => EmbeddingPurpose.Query,
                "document" or "search_document" or "passage" => EmbeddingPurpose.Document,
                var other => throw new ArgumentException($"{InputTypeProperty} must be 'query' or 'document'; it is '{other}'.", nameof(options)),
            }
            : purpose;
}

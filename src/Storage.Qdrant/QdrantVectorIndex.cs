using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Rag.Retrieval.Vectors;

namespace Rag.Storage.Qdrant;

/// <summary>
/// Chunk vectors in Qdrant. One Qdrant collection per vector size (<c>{prefix}chunks_{size}</c>,
/// named dense vector <c>dense</c>, cosine); Rag's collection, document, chunk index, tags and model
/// are payload fields with payload indexes, and every query filters by them, so tenants never see
/// each other's vectors. Point ids are UUIDs derived from (collection, document, chunk): writing a
/// document again overwrites its points, never duplicates them.
/// <para>
/// Unit vectors live in <c>{prefix}units_{size}</c>: one point per chunk (the chunk's point id) whose
/// multivector <c>units</c> holds its units' vectors, compared by max-sim, with the same payload plus
/// <c>spans</c> (start, length pairs into the chunk's text). This is the segment cache of the server
/// deployment: what ingestion computed once, read back for every question.
/// </para>
/// </summary>
public sealed class QdrantVectorIndex(QdrantClient client, string collectionPrefix) : IVectorIndex
{
    /// <summary>The named vector space of chunks' vectors.</summary>
    public const string VectorName = "dense";
    /// <summary>The named multivector space of chunks' unit vectors.</summary>
    public const string UnitsVectorName = "units";
    private const string SpansField = "spans";
    private const string CollectionField = "collection";
    private const string DocumentField = "document_id";
    private const string ChunkField = "chunk_index";
    private const string TagsField = "tags";
    private const string ModelField = "model";

    private readonly ConcurrentDictionary<string, Lazy<Task>> _ready = new(StringComparer.Ordinal);

    /// <summary>Collections known to exist (Rag never drops one), so a search asks Qdrant once.</summary>
    private readonly ConcurrentDictionary<string, bool> _exists = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public async Task UpsertAsync(string collection, string documentId, IReadOnlyList<string> tags, string modelId, IReadOnlyList<ChunkVector> vectors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(tags);
        if (vectors.Count == 0)
        {
            await DeleteAsync(collection, documentId, cancellationToken);
            return;
        }

        var size = vectors[0].Vector.Length;
        var name = await EnsureCollectionAsync(size, cancellationToken);
        var tagArray = new JsonArray([.. tags.Select(t => (JsonNode)JsonValue.Create(t))]);
        foreach (var batch in vectors.Chunk(256))
        {
            var points = batch.Select(v => new QdrantPoint(
                PointId(collection, documentId, v.ChunkIndex),
                new Dictionary<string, float[]> { [VectorName] = v.Vector },
                new JsonObject
                {
                    [CollectionField] = collection,
                    [DocumentField] = documentId,
                    [ChunkField] = v.ChunkIndex,
                    [TagsField] = tagArray.DeepClone(),
                    [ModelField] = modelId,
                })).ToList();
            await client.UpsertAsync(name, points, cancellationToken);
        }

        // Overwritten in place; now remove what the new version no longer has: chunks past its
        // end, and vectors of another model (in this collection and in those of other sizes).
        var stale = QdrantFilter.AllAndAny(
            [QdrantFilter.Match(CollectionField, collection), QdrantFilter.Match(DocumentField, documentId)],
            [QdrantFilter.AtLeast(ChunkField, vectors.Count), QdrantFilter.None(QdrantFilter.Match(ModelField, modelId))]);
        await client.DeleteAsync(name, stale, cancellationToken);
        foreach (var other in (await ChunkCollectionsAsync(cancellationToken)).Where(n => n != name))
            await client.DeleteAsync(other, DocumentFilter(collection, documentId), cancellationToken);
        await UpsertUnitsAsync(collection, documentId, tagArray, modelId, vectors, cancellationToken);
    }

    private async Task UpsertUnitsAsync(string collection, string documentId, JsonArray tags, string modelId, IReadOnlyList<ChunkVector> vectors, CancellationToken cancellationToken)
    {
        var withUnits = vectors.Where(v => v.Units is { Count: > 0 }).ToList();
        var current = withUnits.Count == 0 ? null : await EnsureCollectionAsync(vectors[0].Vector.Length, cancellationToken, units: true);
        foreach (var batch in withUnits.Chunk(64))
        {
            var points = batch.Select(v => new QdrantPoint(
                PointId(collection, documentId, v.ChunkIndex),
                new Dictionary<string, float[]>(),
                new JsonObject
                {
                    [CollectionField] = collection,
                    [DocumentField] = documentId,
                    [ChunkField] = v.ChunkIndex,
                    [TagsField] = tags.DeepClone(),
                    [ModelField] = modelId,
                    [SpansField] = new JsonArray([.. v.Units!.SelectMany(u => new[] { u.Start, u.Length }).Select(x => (JsonNode)JsonValue.Create(x))]),
                },
                new Dictionary<string, float[][]> { [UnitsVectorName] = [.. v.Units!.Select(u => u.Vector)] })).ToList();
            await client.UpsertAsync(current!, points, cancellationToken);
        }

        // What the new version no longer has: chunks past its end or without units, another model's, other sizes'.
        var kept = withUnits.Select(v => v.ChunkIndex).ToHashSet();
        foreach (var name in await UnitCollectionsAsync(cancellationToken))
        {
            if (name != current)
            {
                await client.DeleteAsync(name, DocumentFilter(collection, documentId), cancellationToken);
                continue;
            }

            await client.DeleteAsync(name, QdrantFilter.AllAndAny(
                [QdrantFilter.Match(CollectionField, collection), QdrantFilter.Match(DocumentField, documentId)],
                [QdrantFilter.AtLeast(ChunkField, vectors.Count), QdrantFilter.None(QdrantFilter.Match(ModelField, modelId))]), cancellationToken);
            var bare = vectors.Select(v => v.ChunkIndex).Where(i => !kept.Contains(i)).ToList();
            if (bare.Count > 0)
            {
                await client.DeleteAsync(name, QdrantFilter.AllAndAny(
                    [QdrantFilter.Match(CollectionField, collection), QdrantFilter.Match(DocumentField, documentId)],
                    bare.Select(i => (JsonNode)QdrantFilter.Equal(ChunkField, i))), cancellationToken);
            }
        }
    }

    /// <inheritdoc/>
    public async Task DeleteAsync(string collection, string documentId, CancellationToken cancellationToken)
    {
        foreach (var name in (await ChunkCollectionsAsync(cancellationToken)).Concat(await UnitCollectionsAsync(cancellationToken)))
            await client.DeleteAsync(name, DocumentFilter(collection, documentId), cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<bool> ContainsAsync(string collection, string documentId, string modelId, CancellationToken cancellationToken) =>
        await AnyAsync(await ChunkCollectionsAsync(cancellationToken), collection, documentId, modelId, cancellationToken);

    /// <inheritdoc/>
    public async Task<bool> HasUnitsAsync(string collection, string documentId, string modelId, CancellationToken cancellationToken) =>
        await AnyAsync(await UnitCollectionsAsync(cancellationToken), collection, documentId, modelId, cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<(string DocumentId, int ChunkIndex), IReadOnlyList<UnitVector>>> GetUnitsAsync(
        string collection, string modelId, IReadOnlyList<(string DocumentId, int ChunkIndex)> chunks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        var found = new Dictionary<(string DocumentId, int ChunkIndex), IReadOnlyList<UnitVector>>();
        if (chunks.Count == 0)
            return found;
        var ids = chunks.Distinct().Select(c => PointId(collection, c.DocumentId, c.ChunkIndex)).ToList();
        foreach (var name in await UnitCollectionsAsync(cancellationToken))
        {
            var points = await client.RetrieveAsync(name, ids, [CollectionField, DocumentField, ChunkField, ModelField, SpansField], cancellationToken, [UnitsVectorName]);
            foreach (var point in points)
            {
                // Ids are derived from the collection, but the payload is what proves whose a point is.
                if (point.Payload[CollectionField]?.GetValue<string>() != collection || point.Payload[ModelField]?.GetValue<string>() != modelId
                    || point.Vectors?[UnitsVectorName] is not JsonArray rows || point.Payload[SpansField] is not JsonArray spans)
                    continue;
                var units = rows.Select((row, u) => new UnitVector(
                    spans[2 * u]!.GetValue<int>(), spans[(2 * u) + 1]!.GetValue<int>(), [.. row!.AsArray().Select(x => x!.GetValue<float>())])).ToList();
                found[(point.Payload[DocumentField]!.GetValue<string>(), point.Payload[ChunkField]!.GetValue<int>())] = units;
            }
        }

        return found;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<VectorHit>> SearchUnitsAsync(string collection, ReadOnlyMemory<float> query, string modelId, int topK, IReadOnlyList<string>? tags, CancellationToken cancellationToken) =>
        QueryAsync(collection, query, modelId, topK, tags, units: true, cancellationToken);

    private async Task<bool> AnyAsync(IReadOnlyList<string> names, string collection, string documentId, string modelId, CancellationToken cancellationToken)
    {
        var filter = QdrantFilter.All(
            QdrantFilter.Match(CollectionField, collection), QdrantFilter.Match(DocumentField, documentId), QdrantFilter.Match(ModelField, modelId));
        foreach (var name in names)
        {
            if (await client.CountAsync(name, filter, cancellationToken) > 0)
                return true;
        }

        return false;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<VectorHit>> SearchAsync(string collection, ReadOnlyMemory<float> query, string modelId, int topK, IReadOnlyList<string>? tags, CancellationToken cancellationToken) =>
        QueryAsync(collection, query, modelId, topK, tags, units: false, cancellationToken);

    private async Task<IReadOnlyList<VectorHit>> QueryAsync(
        string collection, ReadOnlyMemory<float> query, string modelId, int topK, IReadOnlyList<string>? tags, bool units, CancellationToken cancellationToken)
    {
        if (topK <= 0 || query.IsEmpty)
            return [];
        var name = CollectionName(query.Length, units);
        if (!_exists.ContainsKey(name))
        {
            // Created by a worker in another process: ask once, remember only a yes.
            if (!await client.CollectionExistsAsync(name, cancellationToken))
                return [];
            _exists[name] = true;
        }

        var filter = QdrantFilter.All([
            QdrantFilter.Match(CollectionField, collection),
            QdrantFilter.Match(ModelField, modelId),
            .. (tags ?? []).Select(t => QdrantFilter.Match(TagsField, t)),
        ]);
        var points = units
            ? await client.QueryMultiAsync(name, UnitsVectorName, [query.ToArray()], filter, topK, [DocumentField, ChunkField], cancellationToken)
            : await client.QueryAsync(name, VectorName, query, filter, topK, [DocumentField, ChunkField], cancellationToken);
        return [.. points.Select(p => new VectorHit(p.Payload[DocumentField]!.GetValue<string>(), p.Payload[ChunkField]!.GetValue<int>(), p.Score))];
    }

    /// <summary>The point id of a chunk: a UUID from SHA-256 of (collection, document, chunk), the same everywhere.</summary>
    public static Guid PointId(string collection, string documentId, int chunkIndex) =>
        DeterministicGuid($"rag-chunk\0{collection}\0{documentId}\0{chunkIndex}");

    /// <summary>A UUID (version 8, RFC 9562: vendor-specific) made from SHA-256 of <paramref name="name"/>.</summary>
    public static Guid DeterministicGuid(string name)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
    }

    private string CollectionName(int size, bool units = false) => $"{collectionPrefix}{(units ? "units" : "chunks")}_{size}";

    private Task<IReadOnlyList<string>> ChunkCollectionsAsync(CancellationToken cancellationToken) => CollectionsAsync("chunks_", cancellationToken);

    private Task<IReadOnlyList<string>> UnitCollectionsAsync(CancellationToken cancellationToken) => CollectionsAsync("units_", cancellationToken);

    private async Task<IReadOnlyList<string>> CollectionsAsync(string kind, CancellationToken cancellationToken) =>
        [.. (await client.ListCollectionsAsync(cancellationToken)).Where(n => n.StartsWith(collectionPrefix + kind, StringComparison.Ordinal))];

    private static JsonObject DocumentFilter(string collection, string documentId) =>
        QdrantFilter.All(QdrantFilter.Match(CollectionField, collection), QdrantFilter.Match(DocumentField, documentId));

    private async Task<string> EnsureCollectionAsync(int size, CancellationToken cancellationToken, bool units = false)
    {
        var name = CollectionName(size, units);
        var ready = _ready.GetOrAdd(name, _ => new Lazy<Task>(() => CreateAsync(name, size, units)));
        try
        {
            await ready.Value.WaitAsync(cancellationToken);
            _exists[name] = true;
        }
        catch
        {
            _ready.TryRemove(name, out _);
            throw;
        }

        return name;
    }

    private async Task CreateAsync(string name, int size, bool units)
    {
        if (await client.CollectionExistsAsync(name, CancellationToken.None))
            return;
        var vectors = units
            ? new Dictionary<string, VectorParams> { [UnitsVectorName] = new(size, MultivectorConfig: new MultiVectorConfig()) }
            : new Dictionary<string, VectorParams> { [VectorName] = new(size) };
        await client.CreateCollectionAsync(name, vectors, CancellationToken.None);
        foreach (var field in new[] { CollectionField, DocumentField, TagsField, ModelField })
            await client.CreatePayloadIndexAsync(name, field, "keyword", CancellationToken.None);
        await client.CreatePayloadIndexAsync(name, ChunkField, "integer", CancellationToken.None);
    }
}

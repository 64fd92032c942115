using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Rag.Retrieval.Vectors.Qdrant;

/// <summary>
/// Chunk vectors in Qdrant. One Qdrant collection per vector size (<c>{prefix}chunks_{size}</c>,
/// named dense vector <c>dense</c>, cosine); Rag's collection, document, chunk index, tags and model
/// are payload fields with payload indexes, and every query filters by them, so tenants never see
/// each other's vectors. Point ids are UUIDs derived from (collection, document, chunk): writing a
/// document again overwrites its points, never duplicates them.
/// </summary>
public sealed class QdrantVectorIndex(QdrantClient client, string collectionPrefix) : IVectorIndex
{
    public const string VectorName = "dense";
    private const string CollectionField = "collection";
    private const string DocumentField = "document_id";
    private const string ChunkField = "chunk_index";
    private const string TagsField = "tags";
    private const string ModelField = "model";

    private readonly ConcurrentDictionary<int, Lazy<Task>> _ready = new();

    /// <summary>Vector sizes whose collection is known to exist (it is never dropped by Rag), so a search asks Qdrant once.</summary>
    private readonly ConcurrentDictionary<int, bool> _exists = new();

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
    }

    public async Task DeleteAsync(string collection, string documentId, CancellationToken cancellationToken)
    {
        foreach (var name in await ChunkCollectionsAsync(cancellationToken))
            await client.DeleteAsync(name, DocumentFilter(collection, documentId), cancellationToken);
    }

    public async Task<bool> ContainsAsync(string collection, string documentId, string modelId, CancellationToken cancellationToken)
    {
        var filter = QdrantFilter.All(
            QdrantFilter.Match(CollectionField, collection), QdrantFilter.Match(DocumentField, documentId), QdrantFilter.Match(ModelField, modelId));
        foreach (var name in await ChunkCollectionsAsync(cancellationToken))
        {
            if (await client.CountAsync(name, filter, cancellationToken) > 0)
                return true;
        }

        return false;
    }

    public async Task<IReadOnlyList<VectorHit>> SearchAsync(string collection, ReadOnlyMemory<float> query, string modelId, int topK, IReadOnlyList<string>? tags, CancellationToken cancellationToken)
    {
        if (topK <= 0 || query.IsEmpty)
            return [];
        var name = CollectionName(query.Length);
        if (!_exists.ContainsKey(query.Length))
        {
            // Created by a worker in another process: ask once, remember only a yes.
            if (!await client.CollectionExistsAsync(name, cancellationToken))
                return [];
            _exists[query.Length] = true;
        }


        var filter = QdrantFilter.All([
            QdrantFilter.Match(CollectionField, collection),
            QdrantFilter.Match(ModelField, modelId),
            .. (tags ?? []).Select(t => QdrantFilter.Match(TagsField, t)),
        ]);
        var points = await client.QueryAsync(name, VectorName, query, filter, topK, [DocumentField, ChunkField], cancellationToken);
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

    private string CollectionName(int size) => $"{collectionPrefix}chunks_{size}";

    private async Task<IReadOnlyList<string>> ChunkCollectionsAsync(CancellationToken cancellationToken) =>
        [.. (await client.ListCollectionsAsync(cancellationToken)).Where(n => n.StartsWith($"{collectionPrefix}chunks_", StringComparison.Ordinal))];

    private static JsonObject DocumentFilter(string collection, string documentId) =>
        QdrantFilter.All(QdrantFilter.Match(CollectionField, collection), QdrantFilter.Match(DocumentField, documentId));

    private async Task<string> EnsureCollectionAsync(int size, CancellationToken cancellationToken)
    {
        var name = CollectionName(size);
        var ready = _ready.GetOrAdd(size, _ => new Lazy<Task>(() => CreateAsync(name, size)));
        try
        {
            await ready.Value.WaitAsync(cancellationToken);
            _exists[size] = true;
        }
        catch
        {
            _ready.TryRemove(size, out _);
            throw;
        }

        return name;
    }

    private async Task CreateAsync(string name, int size)
    {
        if (await client.CollectionExistsAsync(name, CancellationToken.None))
            return;
        await client.CreateCollectionAsync(name, new Dictionary<string, VectorParams> { [VectorName] = new(size) }, CancellationToken.None);
        foreach (var field in new[] { CollectionField, DocumentField, TagsField, ModelField })
            await client.CreatePayloadIndexAsync(name, field, "keyword", CancellationToken.None);
        await client.CreatePayloadIndexAsync(name, ChunkField, "integer", CancellationToken.None);
    }
}

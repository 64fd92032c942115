using Rag.Retrieval.Chunking;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Qdrant.Client.Grpc;
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
public sealed class QdrantVectorIndex(QdrantConnection qdrant, string collectionPrefix) : IVectorIndex
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
    private static readonly string[] HitFields = [DocumentField, ChunkField];

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
        foreach (var batch in vectors.Chunk(256))
        {
            var points = batch.Select(v => new PointStruct
            {
                Id = PointId(collection, documentId, v.ChunkIndex),
                Vectors = new Dictionary<string, float[]> { [VectorName] = v.Vector },
                Payload = { Payload(collection, documentId, v.ChunkIndex, tags, modelId) },
            }).ToList();
            await qdrant.CallAsync($"upsert into {name}", (c, ct) => c.UpsertAsync(name, points, wait: true, cancellationToken: ct), cancellationToken);
        }

        // Overwritten in place; now remove what the new version no longer has: chunks past its
        // end, and vectors of another model (in this collection and in those of other sizes).
        await DeleteAsync(name, Stale(collection, documentId, vectors.Count, modelId), cancellationToken);
        foreach (var other in (await ChunkCollectionsAsync(cancellationToken)).Where(n => n != name))
            await DeleteAsync(other, DocumentFilter(collection, documentId), cancellationToken);
        await UpsertUnitsAsync(collection, documentId, tags, modelId, vectors, cancellationToken);
    }

    private async Task UpsertUnitsAsync(string collection, string documentId, IReadOnlyList<string> tags, string modelId, IReadOnlyList<ChunkVector> vectors, CancellationToken cancellationToken)
    {
        var withUnits = vectors.Where(v => v.Units is { Count: > 0 }).ToList();
        var current = withUnits.Count == 0 ? null : await EnsureCollectionAsync(vectors[0].Vector.Length, cancellationToken, units: true);
        foreach (var batch in withUnits.Chunk(64))
        {
            var points = batch.Select(v =>
            {
                var payload = Payload(collection, documentId, v.ChunkIndex, tags, modelId);
                payload[SpansField] = v.Units!.SelectMany(u => new[] { new Value { IntegerValue = u.Start }, new Value { IntegerValue = u.Length } }).ToArray();
                return new PointStruct
                {
                    Id = PointId(collection, documentId, v.ChunkIndex),
                    Vectors = new Dictionary<string, Vector> { [UnitsVectorName] = v.Units!.Select(u => u.Vector).ToArray() },
                    Payload = { payload },
                };
            }).ToList();
            await qdrant.CallAsync($"upsert into {current}", (c, ct) => c.UpsertAsync(current!, points, wait: true, cancellationToken: ct), cancellationToken);
        }

        // What the new version no longer has: chunks past its end or without units, another model's, other sizes'.
        var kept = withUnits.Select(v => v.ChunkIndex).ToHashSet();
        foreach (var name in await UnitCollectionsAsync(cancellationToken))
        {
            if (name != current)
            {
                await DeleteAsync(name, DocumentFilter(collection, documentId), cancellationToken);
                continue;
            }

            await DeleteAsync(name, Stale(collection, documentId, vectors.Count, modelId), cancellationToken);
            var bare = vectors.Select(v => (long)v.ChunkIndex).Where(i => !kept.Contains((int)i)).ToList();
            if (bare.Count > 0)
                await DeleteAsync(name, DocumentFilter(collection, documentId) & Conditions.Match(ChunkField, bare), cancellationToken);
        }
    }

    /// <summary>Each document in turn, as <see cref="UpsertAsync"/> does (every upsert already waits for Qdrant to apply it).</summary>
    public async Task UpsertManyAsync(string collection, string modelId, IReadOnlyList<(string DocumentId, IReadOnlyList<string> Tags, IReadOnlyList<ChunkVector> Vectors)> documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        foreach (var (documentId, tags, vectors) in documents)
            await UpsertAsync(collection, documentId, tags, modelId, vectors, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task DeleteAsync(string collection, string documentId, CancellationToken cancellationToken)
    {
        foreach (var name in (await ChunkCollectionsAsync(cancellationToken)).Concat(await UnitCollectionsAsync(cancellationToken)))
            await DeleteAsync(name, DocumentFilter(collection, documentId), cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<bool> ContainsAsync(string collection, string documentId, string modelId, CancellationToken cancellationToken) =>
        await AnyAsync(await ChunkCollectionsAsync(cancellationToken), collection, documentId, modelId, cancellationToken);

    /// <inheritdoc/>
    public async Task<bool> HasUnitsAsync(string collection, string documentId, string modelId, CancellationToken cancellationToken) =>
        await AnyAsync(await UnitCollectionsAsync(cancellationToken), collection, documentId, modelId, cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<ChunkRef, IReadOnlyList<UnitVector>>> GetUnitsAsync(
        string collection, string modelId, IReadOnlyList<ChunkRef> chunks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        var found = new Dictionary<ChunkRef, IReadOnlyList<UnitVector>>();
        if (chunks.Count == 0)
            return found;
        var ids = chunks.Distinct().Select(c => (PointId)PointId(collection, c.DocumentId, c.Index)).ToList();
        foreach (var name in await UnitCollectionsAsync(cancellationToken))
        {
            var points = await qdrant.CallAsync($"retrieve from {name}", (c, ct) => c.RetrieveAsync(
                name, ids, new WithPayloadSelector { Include = new PayloadIncludeSelector { Fields = { CollectionField, DocumentField, ChunkField, ModelField, SpansField } } },
                new WithVectorsSelector { Include = new VectorsSelector { Names = { UnitsVectorName } } }, cancellationToken: ct), cancellationToken);
            foreach (var point in points)
            {
                // Ids are derived from the collection, but the payload is what proves whose a point is.
                if (Text(point.Payload, CollectionField) != collection || Text(point.Payload, ModelField) != modelId
                    || point.Vectors?.Vectors?.Vectors.GetValueOrDefault(UnitsVectorName) is not { } output
                    || !point.Payload.TryGetValue(SpansField, out var spans))
                    continue;
                var rows = output.GetMultiVector()?.Vectors ?? [];
                var offsets = spans.ListValue.Values;
                var units = rows.Select((row, u) => new UnitVector((int)offsets[2 * u].IntegerValue, (int)(offsets[2 * u].IntegerValue + offsets[(2 * u) + 1].IntegerValue), [.. row.Data])).ToList();
                found[new ChunkRef(Text(point.Payload, DocumentField)!, (int)point.Payload[ChunkField].IntegerValue)] = units;
            }
        }

        return found;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<VectorHit>> SearchUnitsAsync(string collection, ReadOnlyMemory<float> query, string modelId, int topK, IReadOnlyList<string>? tags, CancellationToken cancellationToken) =>
        QueryAsync(collection, query, modelId, topK, tags, units: true, cancellationToken);

    private async Task<bool> AnyAsync(IReadOnlyList<string> names, string collection, string documentId, string modelId, CancellationToken cancellationToken)
    {
        var filter = DocumentFilter(collection, documentId) & Conditions.MatchKeyword(ModelField, modelId);
        foreach (var name in names)
        {
            if (await qdrant.CallAsync($"count in {name}", (c, ct) => c.CountAsync(name, filter, exact: true, cancellationToken: ct), cancellationToken) > 0)
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
            if (!await qdrant.CallAsync($"check {name}", (c, ct) => c.CollectionExistsAsync(name, ct), cancellationToken))
                return [];
            _exists[name] = true;
        }

        var filter = new Filter { Must = { Conditions.MatchKeyword(CollectionField, collection), Conditions.MatchKeyword(ModelField, modelId) } };
        filter.Must.AddRange((tags ?? []).Select(t => Conditions.MatchKeyword(TagsField, t)));
        // A unit query is a multivector of one: max-sim reduces to the chunk's best unit.
        Query nearest = units ? new[] { query.ToArray() } : query.ToArray();
        var points = await qdrant.CallAsync($"query {name}", (c, ct) => c.QueryAsync(
            name, nearest, usingVector: units ? UnitsVectorName : VectorName, filter: filter, limit: (ulong)topK,
            payloadSelector: new WithPayloadSelector { Include = new PayloadIncludeSelector { Fields = { HitFields } } }, cancellationToken: ct), cancellationToken);
        return [.. points.Select(p => new VectorHit(Text(p.Payload, DocumentField)!, (int)p.Payload[ChunkField].IntegerValue, p.Score))];
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

    private static Dictionary<string, Value> Payload(string collection, string documentId, int chunkIndex, IReadOnlyList<string> tags, string modelId) => new()
    {
        [CollectionField] = collection,
        [DocumentField] = documentId,
        [ChunkField] = chunkIndex,
        [TagsField] = tags.ToArray(),
        [ModelField] = modelId,
    };

    private static string? Text(IDictionary<string, Value> payload, string field) =>
        payload.TryGetValue(field, out var value) && value.KindCase == Value.KindOneofCase.StringValue ? value.StringValue : null;

    private string CollectionName(int size, bool units = false) => $"{collectionPrefix}{(units ? "units" : "chunks")}_{size}";

    private Task<IReadOnlyList<string>> ChunkCollectionsAsync(CancellationToken cancellationToken) => CollectionsAsync("chunks_", cancellationToken);

    private Task<IReadOnlyList<string>> UnitCollectionsAsync(CancellationToken cancellationToken) => CollectionsAsync("units_", cancellationToken);

    private async Task<IReadOnlyList<string>> CollectionsAsync(string kind, CancellationToken cancellationToken) =>
        [.. (await qdrant.CallAsync("list collections", (c, ct) => c.ListCollectionsAsync(ct), cancellationToken)).Where(n => n.StartsWith(collectionPrefix + kind, StringComparison.Ordinal))];

    private static Filter DocumentFilter(string collection, string documentId) =>
        new() { Must = { Conditions.MatchKeyword(CollectionField, collection), Conditions.MatchKeyword(DocumentField, documentId) } };

    /// <summary>The document's points past <paramref name="count"/> chunks or of another model.</summary>
    private static Filter Stale(string collection, string documentId, int count, string modelId)
    {
        var filter = DocumentFilter(collection, documentId);
        filter.Should.Add(Conditions.Range(ChunkField, new global::Qdrant.Client.Grpc.Range { Gte = count }));
        filter.Should.Add(new Condition { Filter = new Filter { MustNot = { Conditions.MatchKeyword(ModelField, modelId) } } });
        return filter;
    }

    private Task DeleteAsync(string name, Filter filter, CancellationToken cancellationToken) =>
        qdrant.CallAsync($"delete from {name}", (c, ct) => c.DeleteAsync(name, filter, wait: true, cancellationToken: ct), cancellationToken);

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
        var space = new VectorParams { Size = (ulong)size, Distance = Distance.Cosine };
        if (units)
            space.MultivectorConfig = new MultiVectorConfig { Comparator = MultiVectorComparator.MaxSim };
        // An existing collection has its payload indexes: only the process that creates it makes them.
        if (!await qdrant.CreateCollectionAsync(name, new VectorParamsMap { Map = { [units ? UnitsVectorName : VectorName] = space } }, CancellationToken.None))
            return;
        foreach (var field in new[] { CollectionField, DocumentField, TagsField, ModelField })
            await qdrant.CallAsync($"index {name}.{field}", (c, ct) => c.CreatePayloadIndexAsync(name, field, PayloadSchemaType.Keyword, cancellationToken: ct), CancellationToken.None);
        await qdrant.CallAsync($"index {name}.{ChunkField}", (c, ct) => c.CreatePayloadIndexAsync(name, ChunkField, PayloadSchemaType.Integer, cancellationToken: ct), CancellationToken.None);
    }
}

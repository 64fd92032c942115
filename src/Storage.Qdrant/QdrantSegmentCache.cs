using Qdrant.Client.Grpc;
using Rag.Compression.Ports;

namespace Rag.Storage.Qdrant;

/// <summary>
/// The segment cache in Qdrant (<c>{prefix}segment_cache</c>), shared by every process: one point
/// per key, its id a UUID from the key, the value base64 in the payload. The collection holds a
/// one-dimensional placeholder vector, since points are read by id, never searched.
/// </summary>
public sealed class QdrantSegmentCache(QdrantConnection qdrant, string collectionPrefix) : SegmentCacheBase
{
    private const string VectorName = "none";
    private readonly Lazy<Task> _ready = new(() => qdrant.CreateCollectionAsync(
        collectionPrefix + "segment_cache", new VectorParamsMap { Map = { [VectorName] = new VectorParams { Size = 1, Distance = Distance.Dot } } }, CancellationToken.None));

    private string Collection => collectionPrefix + "segment_cache";

    /// <inheritdoc/>
    protected override async Task<IReadOnlyDictionary<string, byte[]>> FindAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        await _ready.Value.WaitAsync(cancellationToken);
        var ids = keys.Select(Id).Distinct().Select(id => (PointId)id).ToList();
        var points = await qdrant.CallAsync("read the segment cache", (c, ct) => c.RetrieveAsync(
            Collection, ids, new WithPayloadSelector { Include = new PayloadIncludeSelector { Fields = { "key", "value" } } }, false, cancellationToken: ct), cancellationToken);
        var found = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var point in points)
        {
            // The key travels with the value: a hash collision can never return another key's value.
            if (point.Payload.TryGetValue("key", out var key) && point.Payload.TryGetValue("value", out var value))
                found[key.StringValue] = Convert.FromBase64String(value.StringValue);
        }

        return found;
    }

    /// <inheritdoc/>
    protected override async Task StoreAsync(IReadOnlyList<KeyValuePair<string, byte[]>> entries, CancellationToken cancellationToken)
    {
        await _ready.Value.WaitAsync(cancellationToken);
        var points = entries.Select(e => new PointStruct
        {
            Id = Id(e.Key),
            Vectors = new Dictionary<string, float[]> { [VectorName] = [1f] },
            Payload = { ["key"] = e.Key, ["value"] = Convert.ToBase64String(e.Value) },
        }).ToList();
        await qdrant.CallAsync("write the segment cache", (c, ct) => c.UpsertAsync(Collection, points, wait: true, cancellationToken: ct), cancellationToken);
    }

    private static Guid Id(string key) => QdrantVectorIndex.DeterministicGuid("rag-segment\0" + key);
}

using System.Text.Json.Nodes;
using Rag.Compression.Ports;

namespace Rag.Storage.Qdrant;

/// <summary>
/// The segment cache in Qdrant (<c>{prefix}segment_cache</c>), shared by every process: one point
/// per key, its id a UUID from the key, the value base64 in the payload. The collection holds a
/// one-dimensional placeholder vector, since points are read by id, never searched.
/// </summary>
public sealed class QdrantSegmentCache(QdrantClient client, string collectionPrefix) : SegmentCacheBase
{
    private const string VectorName = "none";
    private readonly Lazy<Task> _ready = new(() => CreateAsync(client, collectionPrefix + "segment_cache"));

    private string Collection => collectionPrefix + "segment_cache";

    /// <inheritdoc/>
    protected override async Task<IReadOnlyDictionary<string, byte[]>> FindAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        await _ready.Value.WaitAsync(cancellationToken);
        var found = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var point in await client.RetrieveAsync(Collection, [.. keys.Select(Id).Distinct()], ["key", "value"], cancellationToken))
        {
            // The key travels with the value: a hash collision can never return another key's value.
            if (point.Payload["key"]?.GetValue<string>() is { } key && point.Payload["value"]?.GetValue<string>() is { } value)
                found[key] = Convert.FromBase64String(value);
        }

        return found;
    }

    /// <inheritdoc/>
    protected override async Task StoreAsync(IReadOnlyList<KeyValuePair<string, byte[]>> entries, CancellationToken cancellationToken)
    {
        await _ready.Value.WaitAsync(cancellationToken);
        var points = entries.Select(e => new QdrantPoint(
            Id(e.Key),
            new Dictionary<string, float[]> { [VectorName] = [1f] },
            new JsonObject { ["key"] = e.Key, ["value"] = Convert.ToBase64String(e.Value) })).ToList();
        await client.UpsertAsync(Collection, points, cancellationToken);
    }

    private static Guid Id(string key) => QdrantVectorIndex.DeterministicGuid("rag-segment\0" + key);

    private static async Task CreateAsync(QdrantClient client, string collection)
    {
        if (!await client.CollectionExistsAsync(collection, CancellationToken.None))
            await client.CreateCollectionAsync(collection, new Dictionary<string, VectorParams> { [VectorName] = new(1, "Dot") }, CancellationToken.None);
    }
}

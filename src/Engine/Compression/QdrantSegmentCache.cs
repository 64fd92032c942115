using System.Text.Json.Nodes;
using Rag.Compression.Ports;
using Rag.Retrieval.Vectors.Qdrant;

namespace Rag.Engine.Compression;

/// <summary>
/// The segment cache in Qdrant (<c>{prefix}segment_cache</c>), shared by every process: one point
/// per key, its id a UUID from the key, the value base64 in the payload. The collection holds a
/// one-dimensional placeholder vector, since points are read by id, never searched.
/// </summary>
public sealed class QdrantSegmentCache(QdrantClient client, string collectionPrefix) : ISegmentCache
{
    private const string VectorName = "none";
    private readonly Lazy<Task> _ready = new(() => CreateAsync(client, collectionPrefix + "segment_cache"));

    private string Collection => collectionPrefix + "segment_cache";

    public async Task<byte[]?[]> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var values = new byte[]?[keys.Count];
        if (keys.Count == 0)
            return values;
        await _ready.Value.WaitAsync(cancellationToken);
        var ids = keys.Select(Id).Distinct().ToList();
        var found = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var point in await client.RetrieveAsync(Collection, ids, ["key", "value"], cancellationToken))
        {
            // The key travels with the value: a hash collision can never return another key's value.
            if (point.Payload["key"]?.GetValue<string>() is { } key && point.Payload["value"]?.GetValue<string>() is { } value)
                found[key] = Convert.FromBase64String(value);
        }

        for (var i = 0; i < keys.Count; i++)
            values[i] = found.GetValueOrDefault(keys[i]);
        return values;
    }

    public async Task SetManyAsync(IReadOnlyList<KeyValuePair<string, byte[]>> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
            return;
        await _ready.Value.WaitAsync(cancellationToken);
        var points = entries.DistinctBy(e => e.Key, StringComparer.Ordinal).Select(e => new QdrantPoint(
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

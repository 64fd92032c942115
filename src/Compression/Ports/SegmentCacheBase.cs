namespace Rag.Compression.Ports;

/// <summary>
/// What every segment cache does alike: answers in the order asked (null where missing) from one lookup
/// of the distinct keys, and writes each key once per call. A store supplies the lookup and the write.
/// </summary>
public abstract class SegmentCacheBase : ISegmentCache
{
    /// <inheritdoc/>
    public async Task<byte[]?[]> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
            return [];
        var found = await FindAsync([.. keys.Distinct(StringComparer.Ordinal)], cancellationToken);
        return [.. keys.Select(k => found.GetValueOrDefault(k))];
    }

    /// <inheritdoc/>
    public Task SetManyAsync(IReadOnlyList<KeyValuePair<string, byte[]>> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return entries.Count == 0 ? Task.CompletedTask : StoreAsync([.. entries.DistinctBy(e => e.Key, StringComparer.Ordinal)], cancellationToken);
    }

    /// <summary>The stored values of <paramref name="keys"/> (distinct); a key not stored is absent.</summary>
    /// <param name="keys">Distinct keys, at least one.</param>
    /// <param name="cancellationToken">Stops the lookup.</param>
    protected abstract Task<IReadOnlyDictionary<string, byte[]>> FindAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="entries"/> (distinct keys); an entry already stored may be kept or replaced (entries are immutable).</summary>
    /// <param name="entries">Entries with distinct keys, at least one.</param>
    /// <param name="cancellationToken">Stops the write.</param>
    protected abstract Task StoreAsync(IReadOnlyList<KeyValuePair<string, byte[]>> entries, CancellationToken cancellationToken);
}

using System.Collections.Concurrent;
using Rag.Compression.Ports;

namespace Rag.Compression.Tests;

/// <summary>A dictionary behind the cache port, for tests of pure logic (the SQLite cache is tested in Engine).</summary>
internal sealed class InMemoryCache : ISegmentCache
{
    public ConcurrentDictionary<string, byte[]> Entries { get; } = new();

    public Task<byte[]?[]> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        Task.FromResult(keys.Select(k => Entries.TryGetValue(k, out var v) ? v : null).ToArray());

    public Task SetManyAsync(IReadOnlyList<KeyValuePair<string, byte[]>> entries, CancellationToken cancellationToken)
    {
        foreach (var (key, value) in entries)
            Entries[key] = value;
        return Task.CompletedTask;
    }
}

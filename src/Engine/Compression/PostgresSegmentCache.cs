using Npgsql;
using Rag.Compression.Ports;

namespace Rag.Engine.Compression;

/// <summary>
/// The segment cache in PostgreSQL (migrations/0003): shared by every API process, so a segment
/// compressed by one replica is a cache read for all. Entries are immutable; a concurrent write of
/// the same key keeps the first.
/// </summary>
public sealed class PostgresSegmentCache(NpgsqlDataSource dataSource) : ISegmentCache
{
    public async Task<byte[]?[]> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var values = new byte[]?[keys.Count];
        if (keys.Count == 0)
            return values;
        await using var command = dataSource.CreateCommand("SELECT key, value FROM segment_cache WHERE key = ANY(@keys)");
        command.Parameters.AddWithValue("keys", keys.Distinct().ToArray());
        var found = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                found[reader.GetString(0)] = reader.GetFieldValue<byte[]>(1);
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
        var unique = entries.DistinctBy(e => e.Key, StringComparer.Ordinal).ToList();
        await using var command = dataSource.CreateCommand("""
            INSERT INTO segment_cache (key, value)
            SELECT * FROM unnest(@keys, @values)
            ON CONFLICT (key) DO NOTHING
            """);
        command.Parameters.AddWithValue("keys", unique.Select(e => e.Key).ToArray());
        command.Parameters.AddWithValue("values", unique.Select(e => e.Value).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

using Npgsql;
using Rag.Compression.Ports;

namespace Rag.Storage.Postgres;

/// <summary>
/// The segment cache in PostgreSQL (migrations/0003): shared by every API process, so a segment
/// compressed by one replica is a cache read for all. Entries are immutable; a concurrent write of
/// the same key keeps the first.
/// </summary>
public sealed class PostgresSegmentCache(NpgsqlDataSource dataSource) : SegmentCacheBase
{
    /// <inheritdoc/>
    protected override async Task<IReadOnlyDictionary<string, byte[]>> FindAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT key, value FROM segment_cache WHERE key = ANY(@keys)");
        command.Parameters.AddWithValue("keys", keys.ToArray());
        var found = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            found[reader.GetString(0)] = reader.GetFieldValue<byte[]>(1);
        return found;
    }

    /// <inheritdoc/>
    protected override async Task StoreAsync(IReadOnlyList<KeyValuePair<string, byte[]>> entries, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO segment_cache (key, value)
            SELECT * FROM unnest(@keys, @values)
            ON CONFLICT (key) DO NOTHING
            """);
        command.Parameters.AddWithValue("keys", entries.Select(e => e.Key).ToArray());
        command.Parameters.AddWithValue("values", entries.Select(e => e.Value).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

using Microsoft.Data.Sqlite;
using Rag.Compression.Ports;

namespace Rag.Storage.Embedded;

/// <summary>
/// The embedded segment cache: one SQLite table under the data folder. Entries are immutable (a
/// key names the segment's text, the method and the model), so a write never conflicts with
/// another; a crash loses at most entries not yet written, which are recomputed on demand.
/// </summary>
public sealed class SqliteSegmentCache : SegmentCacheBase
{
    private readonly string _connectionString;

    /// <summary>Opens (creating if needed) the cache at <paramref name="path"/>.</summary>
    public SqliteSegmentCache(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS segment_cache (key TEXT PRIMARY KEY, value BLOB NOT NULL, created INTEGER NOT NULL);
            """;
        command.ExecuteNonQuery();
    }

    /// <summary>Entries held.</summary>
    public long Count
    {
        get
        {
            using var connection = Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM segment_cache";
            return (long)command.ExecuteScalar()!;
        }
    }

    /// <inheritdoc/>
    protected override async Task<IReadOnlyDictionary<string, byte[]>> FindAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM segment_cache WHERE key = $key";
        var key = command.Parameters.Add("$key", SqliteType.Text);
        foreach (var wanted in keys)
        {
            key.Value = wanted;
            if (await command.ExecuteScalarAsync(cancellationToken) is byte[] value)
                found[wanted] = value;
        }

        return found;
    }

    /// <inheritdoc/>
    protected override async Task StoreAsync(IReadOnlyList<KeyValuePair<string, byte[]>> entries, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var transaction = connection.BeginTransaction();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT OR REPLACE INTO segment_cache (key, value, created) VALUES ($key, $value, $created)";
        var key = command.Parameters.Add("$key", SqliteType.Text);
        var value = command.Parameters.Add("$value", SqliteType.Blob);
        command.Parameters.AddWithValue("$created", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        foreach (var entry in entries)
        {
            key.Value = entry.Key;
            value.Value = entry.Value;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}

using Rag.Retrieval.Stores;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Rag.Storage.Postgres;

/// <summary>
/// Document locks across processes: a PostgreSQL session advisory lock per document, held on a
/// connection of its own for as long as the work runs, behind the in-process lock (so one process
/// asks PostgreSQL once per document at a time). A process that dies releases its locks with its
/// connections.
/// </summary>
public sealed class PostgresDocumentLocks(NpgsqlDataSource dataSource, DocumentLocks local) : IDocumentLocks
{
    /// <inheritdoc/>
    public async Task<IAsyncDisposable> AcquireAsync(string collection, string documentId, CancellationToken cancellationToken)
    {
        var inProcess = await local.AcquireAsync(collection, documentId, cancellationToken);
        NpgsqlConnection? connection = null;
        try
        {
            var key = Key(collection, documentId);
            connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using (var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection))
            {
                command.Parameters.AddWithValue("key", key);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            return new Held(connection, [key], inProcess);
        }
        catch
        {
            if (connection is not null)
                await connection.DisposeAsync();
            await inProcess.DisposeAsync();
            throw;
        }
    }

    /// <summary>The in-process locks, then every document's advisory lock in one statement, in key order.</summary>
    public async Task<IAsyncDisposable> AcquireManyAsync(string collection, IReadOnlyList<string> documentIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documentIds);
        var inProcess = await local.AcquireManyAsync(collection, documentIds, cancellationToken);
        NpgsqlConnection? connection = null;
        try
        {
            var keys = documentIds.Select(id => Key(collection, id)).Distinct().Order().ToArray();
            connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using (var command = new NpgsqlCommand(
                "SELECT pg_advisory_lock(k) FROM (SELECT k FROM unnest(@keys) WITH ORDINALITY AS u(k, n) ORDER BY n) AS ordered", connection))
            {
                command.Parameters.AddWithValue("keys", keys);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            return new Held(connection, keys, inProcess);
        }
        catch
        {
            if (connection is not null)
                await connection.DisposeAsync();
            await inProcess.DisposeAsync();
            throw;
        }
    }

    /// <summary>A stable 64-bit key for the document (the same in every process and version).</summary>
    internal static long Key(string collection, string documentId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"rag-document\0{collection}\0{documentId}"));
        return BinaryPrimitives.ReadInt64LittleEndian(hash);
    }

    private sealed class Held(NpgsqlConnection connection, long[] keys, IAsyncDisposable inProcess) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(k) FROM unnest(@keys) AS k", connection);
                command.Parameters.AddWithValue("keys", keys);
                await command.ExecuteNonQueryAsync(CancellationToken.None);
            }
            finally
            {
                // Closing a pooled connection also resets its session (DISCARD ALL), which releases any lock left.
                await connection.DisposeAsync();
                await inProcess.DisposeAsync();
            }
        }
    }
}

using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Rag.Engine.Ingestion;

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

            return new Held(connection, key, inProcess);
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

    private sealed class Held(NpgsqlConnection connection, long key, IAsyncDisposable inProcess) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
                command.Parameters.AddWithValue("key", key);
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

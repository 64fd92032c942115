using Microsoft.Data.Sqlite;
using Rag.Retrieval.Stores;
using Rag.Storage.Embedded;

namespace Rag.Retrieval.Tests;

public sealed class SqliteMigrationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rag-sqlite-").FullName;
    private readonly CancellationToken _ct = CancellationToken.None;

    /// <summary>The schema every release before versions created inline (no user_version), as such a data folder holds it.</summary>
    private const string UnversionedSchema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS documents (
            collection TEXT NOT NULL, id TEXT NOT NULL, content_hash TEXT NOT NULL, title TEXT NULL, file_name TEXT NULL,
            kind TEXT NOT NULL, tags TEXT NOT NULL, size_bytes INTEGER NOT NULL, state TEXT NOT NULL, progress REAL NOT NULL,
            error TEXT NULL, chunk_count INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
            seq INTEGER NOT NULL, PRIMARY KEY (collection, id));
        CREATE INDEX IF NOT EXISTS documents_by_state ON documents (state);
        CREATE INDEX IF NOT EXISTS documents_by_seq ON documents (collection, seq);
        CREATE TABLE IF NOT EXISTS document_content (collection TEXT NOT NULL, id TEXT NOT NULL, raw BLOB NOT NULL, text TEXT NULL, PRIMARY KEY (collection, id));
        CREATE TABLE IF NOT EXISTS chunks (
            collection TEXT NOT NULL, document_id TEXT NOT NULL, idx INTEGER NOT NULL, start INTEGER NOT NULL, length INTEGER NOT NULL,
            token_count INTEGER NOT NULL, section TEXT NULL, text TEXT NOT NULL, PRIMARY KEY (collection, document_id, idx));
        CREATE TABLE IF NOT EXISTS batch_documents (collection TEXT NOT NULL, batch_id TEXT NOT NULL, document_id TEXT NOT NULL, PRIMARY KEY (collection, batch_id, document_id));
        CREATE INDEX IF NOT EXISTS batch_documents_by_document ON batch_documents (collection, document_id);
        INSERT INTO documents VALUES ('c1', 'doc_old', 'hash', 'Old title', 'old.md', 'markdown', '["t1"]', 5, 'Ready', 1.0, NULL, 1,
                                      '2026-01-02T03:04:05.0000000+00:00', '2026-01-02T03:04:05.0000000+00:00', 1);
        INSERT INTO document_content VALUES ('c1', 'doc_old', X'68656C6C6F', 'hello');
        INSERT INTO chunks VALUES ('c1', 'doc_old', 0, 0, 5, 1, 'Intro', 'hello');
        """;

    [Fact]
    public async Task A_data_folder_written_before_schema_versions_opens_in_place_with_its_documents()
    {
        var path = Path.Combine(_folder, "rag.db");
        Execute(path, UnversionedSchema);

        var store = SqliteDocumentStore.Open(path);

        var document = await store.GetAsync("c1", "doc_old", _ct);
        Assert.Equal(("Old title", DocumentState.Ready, 1), (document!.Title, document.State, document.ChunkCount));
        Assert.Equal(["t1"], document.Tags);
        Assert.Equal("hello", await store.GetTextAsync("c1", "doc_old", _ct));
        Assert.Equal(["hello"], (await store.GetDocumentChunksAsync("c1", "doc_old", _ct)).Select(c => c.Text));
        Assert.Equal(SqliteMigrations.Latest, Version(path));
        // The upgraded store takes new documents beside the old one.
        await store.AddAsync(new NewDocument("c1", "doc_new", "h2", null, null, "text", [], "new"u8.ToArray()), _ct);
        Assert.Equal(["doc_old", "doc_new"], (await store.ListAsync("c1", 10, null, _ct)).Select(d => d.Id));
    }

    [Fact]
    public void A_new_store_is_at_the_latest_version_and_opening_it_again_applies_nothing()
    {
        var path = Path.Combine(_folder, "rag.db");
        SqliteDocumentStore.Open(path);
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();

        Assert.Equal(SqliteMigrations.Latest, SqliteMigrations.Version(connection));
        Assert.Empty(SqliteMigrations.Apply(connection));
        Assert.Equal(Enumerable.Range(1, SqliteMigrations.Latest), SqliteMigrations.Scripts.Select(s => s.Version));
    }

    [Fact]
    public void A_data_folder_from_a_newer_version_is_refused_naming_both_versions()
    {
        var path = Path.Combine(_folder, "rag.db");
        Execute(path, "PRAGMA user_version = 999;");

        var refused = Assert.Throws<InvalidOperationException>(() => SqliteDocumentStore.Open(path));

        Assert.Contains("schema version 999", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"up to {SqliteMigrations.Latest}", refused.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static int Version(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        return SqliteMigrations.Version(connection);
    }
}

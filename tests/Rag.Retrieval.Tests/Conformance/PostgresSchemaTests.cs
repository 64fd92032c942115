using Npgsql;
using Rag.Tests.Shared;
using Rag.Storage.Postgres;

namespace Rag.Retrieval.Tests.Conformance;

public sealed class PostgresSchemaTests
{
    [Fact]
    public async Task Processes_starting_at_once_apply_each_migration_exactly_once()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();

        var runs = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => PostgresSchema.MigrateAsync(connectionString, CancellationToken.None))));

        Assert.Equal(PostgresSchema.ScriptNames, runs.SelectMany(r => r).Order(StringComparer.Ordinal));
        Assert.True(PostgresSchema.ScriptNames.Count >= 3);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var journal = new NpgsqlCommand("SELECT count(*) FROM schema_versions", connection);
        Assert.Equal((long)PostgresSchema.ScriptNames.Count, await journal.ExecuteScalarAsync());
        Assert.Empty(await PostgresSchema.MigrateAsync(connectionString, CancellationToken.None));
    }
}

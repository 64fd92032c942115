using Npgsql;
using Rag.Tests.Shared;
using Rag.Storage.Postgres;

namespace Rag.Retrieval.Tests.Conformance;

/// <summary>A fresh PostgreSQL database with the schema of migrations/ applied.</summary>
internal static class PostgresTestDatabase
{
    public static async Task<NpgsqlDataSource> CreateAsync()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        await PostgresSchema.MigrateAsync(connectionString, CancellationToken.None);
        return NpgsqlDataSource.Create(connectionString);
    }
}

using System.Reflection;
using DbUp;
using DbUp.Engine;
using Npgsql;

namespace Rag.Storage.Postgres;

/// <summary>
/// Applies the versioned SQL files of migrations/ (embedded in this assembly) with DbUp. Several
/// processes may start at once: each takes the same PostgreSQL advisory lock first, so one
/// applies the scripts and the others find them applied.
/// </summary>
public static class PostgresSchema
{
    /// <summary>Key of the session advisory lock held while migrating ("rag-schema").</summary>
    private const long MigrationLockKey = 0x7261672D736368;

    /// <summary>The embedded scripts, in the order they apply.</summary>
    public static IReadOnlyList<string> ScriptNames =>
        [.. typeof(PostgresSchema).Assembly.GetManifestResourceNames().Where(IsMigration).Order(StringComparer.Ordinal)];

    /// <summary>Brings the database to the latest schema; returns the names of the scripts it ran (none when up to date).</summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(string connectionString, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection))
        {
            lockCommand.Parameters.AddWithValue("key", MigrationLockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(connectionString)
                .WithScriptsEmbeddedInAssembly(typeof(PostgresSchema).Assembly, IsMigration)
                .WithTransactionPerScript()
                .JournalToPostgresqlTable("public", "schema_versions")
                .LogToNowhere()
                .Build();
            // DbUp is synchronous; it runs on the caller's thread once per process start.
            var result = upgrader.PerformUpgrade();
            if (!result.Successful)
                throw new InvalidOperationException(
                    $"Migrating the PostgreSQL schema failed at {result.ErrorScript?.Name ?? "an unknown script"}: {result.Error.Message}", result.Error);
            return [.. result.Scripts.Select(s => s.Name)];
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            unlock.Parameters.AddWithValue("key", MigrationLockKey);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private static bool IsMigration(string resourceName) =>
        resourceName.StartsWith("Rag.Storage.Postgres.Migrations.", StringComparison.Ordinal) && resourceName.EndsWith(".sql", StringComparison.Ordinal);
}

using System.Globalization;
using System.Reflection;
using Microsoft.Data.Sqlite;

namespace Rag.Storage.Embedded;

/// <summary>
/// The embedded store's schema, numbered like PostgreSQL's: <c>migrations/sqlite/NNNN_name.sql</c>, embedded in this
/// assembly and applied in order at open, each in its own transaction with the database's <c>user_version</c> set to
/// its number. An existing data folder upgrades in place; one written by a newer version of Rag is refused.
/// </summary>
internal static class SqliteMigrations
{
    private const string Prefix = "Rag.Storage.Embedded.Migrations.";

    /// <summary>Every script, by number.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts { get; } = Load();

    /// <summary>The version the latest script leaves.</summary>
    public static int Latest => Scripts[^1].Version;

    /// <summary>Brings the open database to <see cref="Latest"/>; returns the scripts applied.</summary>
    public static IReadOnlyList<string> Apply(SqliteConnection connection)
    {
        Execute(connection, "PRAGMA journal_mode = WAL;");
        var version = Version(connection);
        if (version > Latest)
            throw new InvalidOperationException(
                $"The data folder's document store ({connection.DataSource}) has schema version {version}, written by a newer version of Rag; this one knows versions up to {Latest}. Run the newer version, or restore a backup.");
        var applied = new List<string>();
        foreach (var (number, name, sql) in Scripts.Where(s => s.Version > version))
        {
            using var transaction = connection.BeginTransaction();
            Execute(connection, sql, transaction);
            Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {number};"), transaction);
            transaction.Commit();
            applied.Add(name);
        }

        return applied;
    }

    /// <summary>The database's schema version (0: made before versions, or empty).</summary>
    public static int Version(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<(int, string, string)> Load()
    {
        var assembly = typeof(SqliteMigrations).Assembly;
        var scripts = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => (Name: n[Prefix.Length..], Resource: n))
            .Select(s => (Version: int.Parse(s.Name[..4], NumberStyles.None, CultureInfo.InvariantCulture), s.Name, Sql: Read(assembly, s.Resource)))
            .OrderBy(s => s.Version)
            .ToList();
        if (scripts.Count == 0 || scripts.Select((s, i) => s.Version != i + 1).Any(gap => gap))
            throw new InvalidOperationException("The embedded store's migrations must be numbered 0001, 0002, … without gaps.");
        return scripts;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

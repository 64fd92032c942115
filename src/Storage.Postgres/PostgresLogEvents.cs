namespace Rag.Storage.Postgres;

/// <summary>The PostgreSQL adapter's log event ids (ids never change meaning).</summary>
internal static class PostgresLogEvents
{
    /// <summary>PostgreSQL migrations were applied at start.</summary>
    public const int SchemaMigrated = 1010;
}

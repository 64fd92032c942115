namespace Rag.Storage.Postgres;

/// <summary>The <c>Rag:Storage:Postgres</c> section, used when any part of <c>Rag:Storage</c> is <c>Postgres</c>.</summary>
public sealed class PostgresOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Rag:Storage:Postgres";

    /// <summary>An Npgsql connection string, e.g. <c>Host=postgres;Database=rag;Username=rag;Password=…</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// How long a job taken by a worker that died stays invisible before another worker takes it
    /// (live workers keep extending it). Default 2 minutes.
    /// </summary>
    public TimeSpan JobInvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(2);
}

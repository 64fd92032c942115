namespace Rag.Engine.Configuration;

/// <summary>Where documents, chunks, the lexical index and jobs live.</summary>
public enum DocumentStorage
{
    /// <summary>SQLite + Lucene.Net under the data folder, Hangfire in memory: one process.</summary>
    Embedded,

    /// <summary>PostgreSQL (full text for the lexical index, Hangfire.PostgreSql for jobs): any number of processes.</summary>
    Postgres,
}

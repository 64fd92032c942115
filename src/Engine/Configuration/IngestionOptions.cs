namespace Rag.Engine.Configuration;

/// <summary>The <c>Rag:Ingestion</c> configuration section.</summary>
public sealed class IngestionOptions
{
    /// <summary>Largest accepted upload in bytes (default 50 MB). Larger uploads get 413.</summary>
    public long MaxUploadBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Documents ingested at the same time. Ingestion is CPU-bound: default one per core.</summary>
    public int Workers { get; set; } = Environment.ProcessorCount;

    /// <summary>Attempts at an ingestion job that fails for an unexpected reason before the document is marked failed.</summary>
    public int MaxAttempts { get; set; } = 3;
}

namespace Rag.Engine.Configuration;

/// <summary>The <c>Rag:Ingestion</c> configuration section.</summary>
public sealed class IngestionOptions
{
    /// <summary>Largest accepted upload in bytes (default 50 MB). Larger uploads get 413.</summary>
    public long MaxUploadBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Most documents one batch upload may hold (default 10,000); the whole batch is held to <see cref="MaxUploadBytes"/>.</summary>
    public int MaxBatchDocuments { get; set; } = 10_000;

    /// <summary>
    /// Small documents of a batch run by one ingestion job (default 32): job bookkeeping (Hangfire's queue, state and
    /// retries), the lexical commit and the ready state are paid per group, not per document. A group that fails is
    /// retried; its finished documents are skipped. Large documents of a batch get a job each.
    /// </summary>
    public int BatchGroupSize { get; set; } = 32;

    /// <summary>Documents ingested at the same time. Ingestion is CPU-bound: default one per core.</summary>
    public int Workers { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Documents up to this size (bytes, default 1 MiB) go to the small lane, which has a worker of its own:
    /// they never wait behind large documents.
    /// </summary>
    public long SmallDocumentBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// The longest one document's ingestion may take (default 30 minutes); past it the document fails with
    /// a reason that names this setting, and is not retried.
    /// </summary>
    public TimeSpan MaxDocumentTime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Attempts at an ingestion job that fails for an unexpected reason before the document is marked failed.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// An unfinished document untouched for this long is queued again by the processes that run
    /// jobs (checked every half of it). Covers an upload stored just before its process died, before
    /// its job was queued. Default 10 minutes.
    /// </summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// With an encoder, also embed every chunk's units (sentences) at ingestion and store their vectors
    /// with the chunk (default true): /ask then compresses retrieved chunks without an encoder pass over
    /// them. The vectors are pooled from the chunk's own encoder pass (late chunking): only a sentence past
    /// the encoder's window costs a pass of its own.
    /// </summary>
    public bool UnitVectors { get; set; } = true;
}

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
    /// A document uploaded on its own and at most this size (bytes, default 64 KiB) goes to the interactive lane, which
    /// every worker serves first and one worker serves alone: it waits only for other such uploads, never behind a
    /// batch's groups or large documents, and the encoder takes its texts in its next batch.
    /// </summary>
    public long InteractiveDocumentBytes { get; set; } = 64 * 1024;

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
    /// With an encoder, also embed every chunk's units at ingestion (default true) and store their vectors with the
    /// chunk: hybrid search ranks a chunk by its best unit too (max-sim), and /ask compresses retrieved chunks without
    /// an encoder pass over them. Units follow the document's structure (a sentence, one list item, one table row, one
    /// definition, one code block), and each is read in a pass of its own, so a bullet's vector is about that bullet.
    /// </summary>
    public bool UnitVectors { get; set; } = true;

    /// <summary>
    /// Where a chunk's own vector comes from when units are embedded: <see cref="ChunkVectorSource.Units"/> (default)
    /// pools the units' vectors and the chunk's heading path, so every token is read once;
    /// <see cref="ChunkVectorSource.Read"/> reads the chunk again whole, after its title and heading path, in windows
    /// of the encoder's length (about twice the encoder time).
    /// </summary>
    public ChunkVectorSource ChunkVectors { get; set; } = ChunkVectorSource.Units;
}

/// <summary>Where a chunk's vector comes from (<see cref="IngestionOptions.ChunkVectors"/>).</summary>
public enum ChunkVectorSource
{
    /// <summary>The token-weighted mean of the chunk's unit vectors and its heading path's vector.</summary>
    Units,

    /// <summary>The chunk read whole after its title and heading path (windows pooled when it is longer than the encoder reads).</summary>
    Read,
}

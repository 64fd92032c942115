using Rag.Engine.Models;
using Rag.Retrieval.Chunking;

namespace Rag.Engine.Configuration;

/// <summary>The <c>Rag</c> configuration section.</summary>
public sealed class RagOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "Rag";

    /// <summary>
    /// Folder for the embedded stores (SQLite database, Lucene index). The service resolves a
    /// relative path against its content root; a library host, against the current directory.
    /// </summary>
    public string DataPath { get; set; } = "data";

    /// <summary>Which store backs each part: embedded (the default) or the server deployment's PostgreSQL and Qdrant.</summary>
    public StorageOptions Storage { get; set; } = new();

    /// <summary>How hybrid search fuses lexical and dense results.</summary>
    public SearchOptions Search { get; set; } = new();

    /// <summary>How documents are cut into chunks.</summary>
    public ChunkingOptions Chunking { get; set; } = new();

    /// <summary>Upload limits and background ingestion.</summary>
    public IngestionOptions Ingestion { get; set; } = new();

    /// <summary>The ONNX models to host (none by default: lexical search, extractive answers).</summary>
    public ModelOptions Models { get; set; } = new();

    /// <summary>Compression defaults (segment size, LongCodeZip and GemFilter settings).</summary>
    public Rag.Compression.CompressorOptions Compression { get; set; } = new();

    /// <summary>How answers are generated when a decoder is configured.</summary>
    public GenerationSettings Generation { get; set; } = new();

    /// <summary>
    /// How long a stopping process (SIGTERM) waits for running work — requests, ingestion — before it
    /// cancels it (default 20 s). Cancelled ingestion is not lost: the document stays unfinished and
    /// is run again at the next start (or by another worker).
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Request sizes and how much model work runs at once.</summary>
    public LimitsOptions Limits { get; set; } = new();
}

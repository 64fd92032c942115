namespace Rag.Engine.Models;

/// <summary>The <c>Rag:Models:Embedder</c> section: the sentence encoder.</summary>
public sealed class EmbedderOptions
{
    /// <summary>The model folder; the service resolves a relative path against its content root, a library host against the current directory. Wins over <see cref="Name"/>.</summary>
    public string? Path { get; set; }

    /// <summary>
    /// A built-in encoder (<c>arctic-embed-xs</c>, the default; <c>all-minilm-l6-v2</c>) or <c>none</c> for
    /// lexical search only. Used when <see cref="Path"/> is unset.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>Most texts per batch. 8 measured fastest for the built-ins on CPU (docs/retrieval-results.md): bigger batches only pad more.</summary>
    public int BatchSize { get; set; } = 8;

    /// <summary>
    /// Most queries per batch. Queries waiting together (those that arrived while the encoder ran the previous batch)
    /// go in one pass, ahead of documents: no query waits for a batch to fill, so batching adds latency only under load.
    /// </summary>
    public int QueryBatchSize { get; set; } = 32;

    /// <summary>Most (padded) tokens per batch.</summary>
    public int MaxBatchTokens { get; set; } = 16384;
}

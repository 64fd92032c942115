namespace Rag.SemanticKernel;

/// <summary>
/// What the plugin calls: Rag in this process (<see cref="InProcessRagBackend"/>, over Rag.Engine)
/// or a running service (<see cref="HttpRagBackend"/>, over Rag.Client). Both answer the same way.
/// </summary>
public interface IRagBackend
{
    Task<RagAskResult> AskAsync(string collection, string question, int topK, IReadOnlyList<string>? tags, CancellationToken cancellationToken);

    Task<IReadOnlyList<RagSearchResult>> SearchAsync(string collection, string query, int topK, IReadOnlyList<string>? tags, CancellationToken cancellationToken);

    Task<RagCompressResult> CompressAsync(string text, string? question, double rate, string method, CancellationToken cancellationToken);

    /// <summary>Stores the text and ingests it; with <paramref name="wait"/>, returns once it is ready (or failed).</summary>
    Task<RagIngestResult> IngestAsync(string collection, string text, string? title, IReadOnlyList<string>? tags, bool wait, CancellationToken cancellationToken);
}

/// <summary>An answer and its numbered sources.</summary>
/// <param name="Answer">The answer; [n] marks the source of each part.</param>
/// <param name="Mode">"generative" (written by the model from the sources) or "extractive" (quoted sentences).</param>
/// <param name="Sources">The sources, numbered as in the answer.</param>
public sealed record RagAskResult(string Answer, string Mode, IReadOnlyList<RagSource> Sources);

/// <summary>A numbered source: the quoted text and where it is.</summary>
public sealed record RagSource(int Number, string DocumentId, string ChunkId, string Quote);

/// <summary>A passage found by search.</summary>
public sealed record RagSearchResult(string DocumentId, string ChunkId, string Text, double Score, string? Section);

/// <summary>A compressed text and how much smaller it is.</summary>
public sealed record RagCompressResult(string CompressedText, int OriginTokens, int CompressedTokens, double Ratio, string Method);

/// <summary>An ingested document and where its ingestion stands.</summary>
public sealed record RagIngestResult(string DocumentId, string Collection, string State, int ChunkCount, string? Error, bool Duplicate);

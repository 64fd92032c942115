namespace Rag.Retrieval.Chunking;

/// <summary>How documents are cut into chunks. Sizes are in tokens of the chunking tokenizer (cl100k).</summary>
public sealed class ChunkingOptions
{
    /// <summary>Largest chunk, in tokens. Structure (a section, a function) is kept whole when it fits.</summary>
    public int MaxTokens { get; set; } = 512;

    /// <summary>
    /// Tokens repeated from the end of one chunk at the start of the next, when a chunk boundary
    /// falls inside one structural unit (a long section or function). Boundaries between units
    /// do not overlap: the unit itself is the context.
    /// </summary>
    public int OverlapTokens { get; set; } = 64;
}

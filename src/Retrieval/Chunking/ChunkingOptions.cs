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

    /// <summary>What is wrong with these settings (empty when nothing), each naming its key after <paramref name="prefix"/>.</summary>
    /// <param name="prefix">The configuration section, e.g. <c>Rag:Chunking:</c>.</param>
    public IReadOnlyList<string> Check(string prefix = "")
    {
        var failures = new List<string>();
        if (MaxTokens is < 16 or > 8192)
            failures.Add($"{prefix}MaxTokens must be between 16 and 8192; it is {MaxTokens}.");
        if (OverlapTokens < 0 || OverlapTokens > MaxTokens / 2)
            failures.Add($"{prefix}OverlapTokens must be between 0 and half of {prefix}MaxTokens ({MaxTokens / 2}); it is {OverlapTokens}.");
        return failures;
    }
}

namespace Rag.Compression;

/// <summary>The <c>Rag:Compression</c> section.</summary>
public sealed class CompressorOptions
{
    /// <summary>Tokens (budget tokenizer) per segment of the segment method. CompLLM's segments are about 20 tokens; token pruning needs a little context to judge surprise, so ours are longer.</summary>
    public int SegmentTokens { get; set; } = 128;

    /// <summary>LongCodeZip's β: how much a function's relevance moves its share of the fine budget.</summary>
    public double LongCodeZipBeta { get; set; } = 0.5;

    /// <summary>LongCodeZip's fine-stage keep ratio inside kept functions (the coarse stage keeps budget / this).</summary>
    public double LongCodeZipFineRatio { get; set; } = 0.5;

    /// <summary>GemFilter's moving-average width.</summary>
    public int GemFilterSmoothing { get; set; } = 5;
}

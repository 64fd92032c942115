using Rag.Compression;

namespace Rag.Extensions.AI;

/// <summary>What the compression middleware compresses, and how hard.</summary>
public sealed class ContextCompressionOptions
{
    /// <summary>Fraction of a long message's tokens to keep, above 0 and at most 1 (default 0.5).</summary>
    public double Rate { get; set; } = 0.5;

    /// <summary>The method (default auto: code → LongCodeZip, text → segment).</summary>
    public CompressionMethod Method { get; set; } = CompressionMethod.Auto;

    /// <summary>Messages shorter than this many tokens (cl100k) are left alone (default 512).</summary>
    public int MinTokens { get; set; } = 512;

    /// <summary>Compress system messages (default true).</summary>
    public bool CompressSystem { get; set; } = true;

    /// <summary>Compress user messages other than the last one (default true). The last user message is the question: never compressed.</summary>
    public bool CompressUser { get; set; } = true;

    /// <summary>Compress tool results given as text (default true).</summary>
    public bool CompressToolResults { get; set; } = true;
}

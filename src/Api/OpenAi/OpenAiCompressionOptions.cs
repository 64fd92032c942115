using Rag.Compression;

namespace Rag.Api.OpenAi;

/// <summary>The <c>Rag:OpenAI:Compression</c> section.</summary>
public sealed class OpenAiCompressionOptions
{
    /// <summary>Compress long messages (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Kept fraction of a long message's tokens (default 0.5).</summary>
    public double Rate { get; set; } = 0.5;

    /// <summary>Method (default auto).</summary>
    public CompressionMethod Method { get; set; } = CompressionMethod.Auto;

    /// <summary>Messages shorter than this many tokens pass untouched (default 512).</summary>
    public int MinTokens { get; set; } = 512;
}

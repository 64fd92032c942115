namespace Rag.Engine.Models;

/// <summary>The <c>Rag:Models:Decoder</c> section: the generator.</summary>
public sealed class DecoderOptions
{
    /// <summary>The model folder; the service resolves a relative path against its content root, a library host against the current directory.</summary>
    public string? Path { get; set; }

    /// <summary>Scoring requests waiting at the same time run as one batch of at most this many (padded) tokens.</summary>
    public int MaxBatchTokens { get; set; } = 8192;

    /// <summary>Prompt tokens run per step of prefill; bounds the memory the logits of one step take.</summary>
    public int PrefillChunkTokens { get; set; } = 512;
}

namespace Rag.Engine.Models;

/// <summary>Where ONNX Runtime runs the models.</summary>
public enum ExecutionProvider
{
    /// <summary>CUDA when this build's ONNX Runtime has it, otherwise the CPU; the choice is logged once.</summary>
    Auto,

    /// <summary>CUDA, or the service does not start.</summary>
    Cuda,

    /// <summary>The CPU.</summary>
    Cpu,
}

/// <summary>The <c>Rag:Models</c> section: which models the service hosts. No path, no model.</summary>
public sealed class ModelOptions
{
    public ExecutionProvider ExecutionProvider { get; set; } = ExecutionProvider.Auto;

    /// <summary>CUDA device ordinal.</summary>
    public int DeviceId { get; set; }

    /// <summary>A decoder-only language model (Optimum layout) that generates answers and scores tokens.</summary>
    public DecoderOptions Decoder { get; set; } = new();

    /// <summary>A sentence encoder (BERT layout) for dense and hybrid retrieval.</summary>
    public EmbedderOptions Embedder { get; set; } = new();
}

public sealed class DecoderOptions
{
    /// <summary>The model folder; the service resolves a relative path against its content root, a library host against the current directory.</summary>
    public string? Path { get; set; }

    /// <summary>Scoring requests waiting at the same time run as one batch of at most this many (padded) tokens.</summary>
    public int MaxBatchTokens { get; set; } = 8192;

    /// <summary>Prompt tokens run per step of prefill; bounds the memory the logits of one step take.</summary>
    public int PrefillChunkTokens { get; set; } = 512;
}

public sealed class EmbedderOptions
{
    /// <summary>The model folder; the service resolves a relative path against its content root, a library host against the current directory.</summary>
    public string? Path { get; set; }

    /// <summary>Most texts per batch.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Most (padded) tokens per batch.</summary>
    public int MaxBatchTokens { get; set; } = 16384;
}

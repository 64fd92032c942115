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

/// <summary>
/// The <c>Rag:Models</c> section: the three model roles. The encoder embeds chunks and questions
/// (default: the built-in arctic-embed-xs); the scorer gives compression its token signals (default:
/// the configured decoder, else the fixture decoder shipped with the service); the decoder generates
/// answers (default: none, answers are extractive).
/// </summary>
public sealed class ModelOptions
{
    public ExecutionProvider ExecutionProvider { get; set; } = ExecutionProvider.Auto;

    /// <summary>CUDA device ordinal.</summary>
    public int DeviceId { get; set; }

    /// <summary>Threads one model run uses (ONNX Runtime's intra-op threads); 0 = one per core.</summary>
    public int Threads { get; set; }

    /// <summary>
    /// Where built-in models are written on first use. Default: <c>models</c> under <c>Rag:DataPath</c>.
    /// Processes may share it; a relative path is resolved like <c>Rag:DataPath</c>.
    /// </summary>
    public string? BuiltInPath { get; set; }

    /// <summary>A decoder-only language model (Optimum layout) that generates answers (and scores tokens unless a scorer is named).</summary>
    public DecoderOptions Decoder { get; set; } = new();

    /// <summary>The small decoder compression scores tokens with (segment, LongCodeZip, GemFilter).</summary>
    public ScorerOptions Scorer { get; set; } = new();

    /// <summary>A sentence encoder (BERT layout) for dense and hybrid retrieval and sentence relevance.</summary>
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

public sealed class ScorerOptions
{
    /// <summary>The built-in scorer shipped with the service: the repo's fixture decoder (models/tiny-decoder).</summary>
    public const string Fixture = "tiny-decoder";

    /// <summary>No scorer: the model-based compression methods are off.</summary>
    public const string None = "none";

    /// <summary>A decoder model folder (Optimum layout), resolved like <see cref="DecoderOptions.Path"/>. Wins over <see cref="Name"/>.</summary>
    public string? Path { get; set; }

    /// <summary>
    /// <c>tiny-decoder</c> or <c>none</c>. Unset (and no <see cref="Path"/>): the configured decoder scores,
    /// or the fixture decoder when there is none.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>Scoring requests waiting at the same time run as one batch of at most this many (padded) tokens.</summary>
    public int MaxBatchTokens { get; set; } = 8192;
}

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

    /// <summary>Most (padded) tokens per batch.</summary>
    public int MaxBatchTokens { get; set; } = 16384;
}

namespace Rag.Engine.Models;

/// <summary>
/// The <c>Rag:Models</c> section: the three model roles. The encoder embeds chunks and questions
/// (default: the built-in arctic-embed-xs); the scorer gives compression its token signals (default:
/// the configured decoder, else the fixture decoder shipped with the service); the decoder generates
/// answers (default: none, answers are extractive).
/// </summary>
public sealed class ModelOptions
{
    /// <summary>Where models run: CUDA when the GPU build and a device are there (Auto), or CPU.</summary>
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

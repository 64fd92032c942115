namespace Rag.Engine.Admission;

/// <summary>The kinds of model work admission counts separately.</summary>
public enum WorkKind
{
    /// <summary>Generating with the local decoder (holds a KV cache for the prompt and the answer).</summary>
    Generation,

    /// <summary>Compressing text with the scorer and the encoder.</summary>
    Compression,
}

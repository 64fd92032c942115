namespace Rag.Engine.Models;

/// <summary>
/// Generates text from a prompt of token ids: the port answers (<c>/ask</c>) and local chat completions use.
/// Engine's ONNX decoder implements it; where no decoder is configured the service has none and answers are extractive.
/// </summary>
public interface ITextGenerator
{
    /// <summary>Names the model and its weights, as responses report it.</summary>
    string ModelId { get; }

    /// <summary>The model's context: prompt and generated tokens together.</summary>
    int MaxPositions { get; }

    /// <summary>The model's token ids for <paramref name="text"/>, with the beginning-of-sequence token first when <paramref name="addBos"/>.</summary>
    IReadOnlyList<int> Encode(string text, bool addBos);

    /// <summary>Generates from <paramref name="prompt"/>: pieces of text as they are decoded, the last one with the finish reason and figures.</summary>
    IAsyncEnumerable<GenerationChunk> GenerateAsync(IReadOnlyList<int> prompt, GenerationOptions options, CancellationToken cancellationToken);
}

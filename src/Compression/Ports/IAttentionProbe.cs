using Microsoft.ML.Tokenizers;

namespace Rag.Compression.Ports;

/// <summary>
/// GemFilter's probe: run the first layers of the model over a sequence and return, per position,
/// the last token's query dotted with that position's key (summed over heads).
/// </summary>
public interface IAttentionProbe
{
    /// <summary>Names the model and its weights; cached scores are keyed by it.</summary>
    string ModelId { get; }

    /// <summary>The model's tokenizer.</summary>
    Tokenizer Tokenizer { get; }

    /// <summary>The beginning-of-sequence token put first, or null when the model has none.</summary>
    int? BosTokenId { get; }

    /// <summary>The longest sequence the model takes.</summary>
    int MaxTokens { get; }

    /// <summary>One score per position of <paramref name="ids"/>: the last token's attention to it at the filter layer.</summary>
    Task<float[]> ScoresAsync(IReadOnlyList<int> ids, CancellationToken cancellationToken);
}

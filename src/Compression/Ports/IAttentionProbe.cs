using Microsoft.ML.Tokenizers;

namespace Rag.Compression.Ports;

/// <summary>
/// GemFilter's probe: run the first layers of the model over a sequence and return, per position,
/// the last token's query dotted with that position's key (summed over heads).
/// </summary>
public interface IAttentionProbe
{
    string ModelId { get; }

    Tokenizer Tokenizer { get; }

    int? BosTokenId { get; }

    int MaxTokens { get; }

    Task<float[]> ScoresAsync(IReadOnlyList<int> ids, CancellationToken cancellationToken);
}

using Microsoft.ML.Tokenizers;

namespace Rag.Compression.Ports;

/// <summary>
/// A causal language model that scores tokens: the negative log-likelihood of each token given
/// the ones before it. Engine implements it with the ONNX decoder.
/// </summary>
public interface ITokenScorer
{
    /// <summary>Names the model and its weights; part of every cache key.</summary>
    string ModelId { get; }

    /// <summary>The model's own tokenizer.</summary>
    Tokenizer Tokenizer { get; }

    /// <summary>The BOS id sequences start with, if the model has one.</summary>
    int? BosTokenId { get; }

    /// <summary>Longest sequence the model scores.</summary>
    int MaxTokens { get; }

    /// <summary>For each sequence of n tokens, n − 1 values: element t is −log p(ids[t+1] | ids[..t]).</summary>
    Task<float[][]> ScoreAsync(IReadOnlyList<IReadOnlyList<int>> sequences, CancellationToken cancellationToken);
}

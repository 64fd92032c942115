using Microsoft.ML.Tokenizers;
using Rag.Compression.Ports;
using Rag.Engine.Models;

namespace Rag.Engine.Compression;

/// <summary>The hosted decoder as the compressors' token scorer and GemFilter probe.</summary>
internal sealed class DecoderPorts(OnnxDecoder decoder) : ITokenScorer, IAttentionProbe
{
    public string ModelId => decoder.ModelId;

    public Tokenizer Tokenizer => decoder.Tokenizer;

    public int? BosTokenId => decoder.Config.BosTokenId;

    public int MaxTokens => decoder.MaxPositions;

    public Task<float[][]> ScoreAsync(IReadOnlyList<IReadOnlyList<int>> sequences, CancellationToken cancellationToken) =>
        decoder.ScoreAsync(sequences, cancellationToken);

    public Task<float[]> ScoresAsync(IReadOnlyList<int> ids, CancellationToken cancellationToken) =>
        Task.Run(() => decoder.GemScores(ids, cancellationToken), cancellationToken);
}

using Rag.Compression.Ports;

namespace Rag.Compression.Methods;

/// <summary>What methods may use, from the compressor: the scorer and attention probe (null where the service has no scorer), the segment cache and the options.</summary>
/// <param name="Scorer">Token surprisal from a small decoder.</param>
/// <param name="Probe">Early-layer attention (GemFilter).</param>
/// <param name="Cache">Scores of segments seen before.</param>
/// <param name="Options">The compressor's settings.</param>
public sealed record MethodServices(ITokenScorer? Scorer, IAttentionProbe? Probe, ISegmentCache Cache, CompressorOptions Options);

namespace Rag.Compression.Methods;

/// <summary>What a compression method is, for the compressor, the API reference and the evaluation's tables.</summary>
/// <param name="Method">Its wire name.</param>
/// <param name="Summary">One sentence saying what it keeps.</param>
/// <param name="NeedsQuestion">It ranks by the question: a request with neither question nor instruction is refused, naming <c>question</c>.</param>
/// <param name="LineWords">Its units are lines (code) rather than words.</param>
public sealed record MethodDescription(CompressionMethod Method, string Summary, bool NeedsQuestion = false, bool LineWords = false);

namespace Rag.Extensions.AI;

/// <summary>What compressing a conversation did.</summary>
/// <param name="OriginTokens">Tokens of every message before.</param>
/// <param name="CompressedTokens">Tokens of every message after.</param>
/// <param name="MessagesCompressed">Messages that were compressed.</param>
/// <param name="CacheHits">Segments whose scores came from the cache.</param>
/// <param name="ElapsedMs">Time spent compressing.</param>
public sealed record CompressionFigures(int OriginTokens, int CompressedTokens, int MessagesCompressed, int CacheHits, double ElapsedMs)
{
    /// <summary>OriginTokens / CompressedTokens.</summary>
    public double Ratio => CompressedTokens == 0 ? 1 : Math.Round((double)OriginTokens / CompressedTokens, 3);
}

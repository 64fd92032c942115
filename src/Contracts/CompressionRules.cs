namespace Rag.Contracts;

/// <summary>
/// The limits of a compression request, in one place: the service's endpoints, the compressor, the
/// <c>IChatClient</c> middleware, the Semantic Kernel plugin and the configuration validators all check them here.
/// </summary>
public static class CompressionRules
{
    /// <summary>The rule for a rate, as messages say it.</summary>
    public const string RateRule = "above 0 and at most 1";

    /// <summary>The largest token target a request may name.</summary>
    public const int MaxTargetTokens = 1_000_000;

    /// <summary>The most first or last sentences coarse-to-fine may be asked to keep.</summary>
    public const int MaxKeptSentences = 100;

    /// <summary>Whether <paramref name="rate"/> is a kept fraction: above 0 and at most 1 (NaN is not).</summary>
    /// <param name="rate">The rate.</param>
    public static bool IsRate(double rate) => rate > 0 && rate <= 1;

    /// <summary>Whether <paramref name="tokens"/> is a token target a request may name.</summary>
    /// <param name="tokens">The target.</param>
    public static bool IsTargetTokens(int tokens) => tokens is >= 1 and <= MaxTargetTokens;
}

namespace Rag.Engine.Models;

/// <summary>The <c>Rag:Models:Scorer</c> section: the small decoder compression scores with.</summary>
public sealed class ScorerOptions
{
    /// <summary>The built-in scorer shipped with the service: the repo's fixture decoder (models/tiny-decoder).</summary>
    public const string Fixture = "tiny-decoder";

    /// <summary>No scorer: the model-based compression methods are off.</summary>
    public const string None = "none";

    /// <summary>A decoder model folder (Optimum layout), resolved like <see cref="DecoderOptions.Path"/>. Wins over <see cref="Name"/>.</summary>
    public string? Path { get; set; }

    /// <summary>
    /// <c>tiny-decoder</c> or <c>none</c>. Unset (and no <see cref="Path"/>): the configured decoder scores,
    /// or the fixture decoder when there is none.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>Scoring requests waiting at the same time run as one batch of at most this many (padded) tokens.</summary>
    public int MaxBatchTokens { get; set; } = 8192;
}

namespace Rag.Engine.Configuration;

/// <summary>The <c>Rag:Search</c> section.</summary>
public sealed class SearchOptions
{
    /// <summary>How hybrid search fuses the two lists.</summary>
    public FusionMethod Fusion { get; set; } = FusionMethod.Convex;

    /// <summary>
    /// The dense list's weight in [0, 1] (the lexical list gets 1 − this). Unset: the encoder's own fitted
    /// weight (<c>hybrid_dense_weight</c> in its config.json; the built-ins carry the one measured best), else 0.5.
    /// </summary>
    public double? DenseWeight { get; set; }

    /// <summary>
    /// How much BM25's confidence lowers the dense weight per query (convex fusion): the weight used is
    /// <c>DenseWeight − this · (s₁ − s₂) / s₁</c> over the two best BM25 scores. Unset: the encoder's
    /// fitted value (<c>hybrid_lexical_gap_weight</c>), else 0.
    /// </summary>
    public double? LexicalGapWeight { get; set; }

    /// <summary>
    /// The share of the dense weight given to a chunk's best unit — max-sim over its stored unit vectors (list items,
    /// sentences, rows) — rather than the chunk's own vector, in [0, 1]. Unset: the encoder's fitted value
    /// (<c>hybrid_unit_share</c>), else 0 (chunk vectors only).
    /// </summary>
    public double? UnitShare { get; set; }

    /// <summary>Candidates each list contributes to a hybrid search (at least top_k).</summary>
    public int HybridCandidates { get; set; } = 50;

    /// <summary>
    /// Query vectors kept per caller and model, so a repeated question costs no encoder pass (0: none kept). A hit is
    /// only ever the same caller's (API key's) own earlier query.
    /// </summary>
    public int QueryVectors { get; set; } = 10_000;
}

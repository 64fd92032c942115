namespace Rag.Engine.Configuration;

/// <summary>How hybrid search merges its lexical and dense candidate lists.</summary>
public enum FusionMethod
{
    /// <summary>Convex combination of min-max normalised scores, weighted (Bruch et al. 2022). The default: it measured best.</summary>
    Convex,

    /// <summary>Reciprocal rank fusion (k = 60), each list weighted.</summary>
    Rrf,
}

namespace Rag.Engine.Configuration;

/// <summary>One kind of model work: how many requests run at once and how many may wait for a turn.</summary>
public sealed class WorkLimit
{
    /// <summary>Requests of this kind running at once.</summary>
    public int MaxConcurrent { get; set; } = 2;

    /// <summary>Requests of this kind waiting for a turn; one more is refused with 429.</summary>
    public int MaxQueued { get; set; } = 8;
}

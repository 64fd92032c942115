namespace Rag.Engine.Admission;

/// <summary>Every slot of <see cref="Kind"/> is busy and its line is full: try again after <see cref="RetryAfter"/>. Transient.</summary>
public sealed class WorkRejectedException(WorkKind kind, TimeSpan retryAfter)
    : Contracts.RagException($"The service is busy with {kind.ToString().ToLowerInvariant()} work; try again in {retryAfter.TotalSeconds:0} s.", isTransient: true)
{
    /// <summary>The kind of work that was refused.</summary>
    public WorkKind Kind { get; } = kind;

    /// <summary>When trying again is likely to be admitted.</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;
}

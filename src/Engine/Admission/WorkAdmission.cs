using Microsoft.Extensions.Options;
using Rag.Engine.Configuration;

namespace Rag.Engine.Admission;

/// <summary>The service's admission gates, one per <see cref="WorkKind"/>, sized by <c>Rag:Limits</c>.</summary>
public sealed class WorkAdmission : IDisposable
{
    private readonly WorkGate _generation;
    private readonly WorkGate _compression;

    /// <summary>Creates the gates from <c>Rag:Limits</c>.</summary>
    public WorkAdmission(IOptions<RagOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limits = options.Value.Limits;
        _generation = new WorkGate(WorkKind.Generation, limits.Generation.MaxConcurrent, limits.Generation.MaxQueued);
        _compression = new WorkGate(WorkKind.Compression, limits.Compression.MaxConcurrent, limits.Compression.MaxQueued);
    }

    /// <summary>The gate of <paramref name="kind"/>.</summary>
    public WorkGate this[WorkKind kind] => kind switch
    {
        WorkKind.Generation => _generation,
        WorkKind.Compression => _compression,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <inheritdoc />
    public void Dispose()
    {
        _generation.Dispose();
        _compression.Dispose();
    }
}

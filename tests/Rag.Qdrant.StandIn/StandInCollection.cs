using System.Collections.Concurrent;
using Google.Protobuf.Collections;
using Qdrant.Client.Grpc;

namespace Rag.Qdrant.StandIn;

/// <summary>A vector space of a collection: size, distance, and whether each point holds several vectors.</summary>
internal sealed record VectorSpace(int Size, Distance Distance, bool Multi);

/// <summary>A point as stored: its id, its vectors by name (one row each, several for a multivector), its payload.</summary>
internal sealed record StoredPoint(PointId Id, IReadOnlyDictionary<string, float[][]> Vectors, MapField<string, Value> Payload);

/// <summary>One collection in memory. Writes apply in the order they were accepted.</summary>
internal sealed class StandInCollection(IReadOnlyDictionary<string, VectorSpace> spaces)
{
    private readonly Lock _order = new();
    private Task _pending = Task.CompletedTask;

    /// <summary>The named spaces; <c>""</c> is the unnamed (default) vector.</summary>
    public IReadOnlyDictionary<string, VectorSpace> Spaces { get; } = spaces;

    public ConcurrentDictionary<string, StoredPoint> Points { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, PayloadSchemaType> Indexes { get; } = new(StringComparer.Ordinal);

    /// <summary>Applies <paramref name="write"/> after every earlier write: now when <paramref name="wait"/>, else a little later.</summary>
    public async Task<UpdateResult> WriteAsync(bool wait, Action write, StandInState state)
    {
        Task applied;
        lock (_order)
        {
            var before = _pending;
            applied = _pending = Task.Run(async () =>
            {
                await before;
                if (!wait)
                    await Task.Delay(50); // Qdrant acknowledges first and applies when its queue gets there
                write();
            });
        }

        if (!wait)
        {
            state.CountUnwaited();
            return new UpdateResult { OperationId = 1, Status = UpdateStatus.Acknowledged };
        }

        await applied;
        return new UpdateResult { OperationId = 1, Status = UpdateStatus.Completed };
    }

    public Task PendingAsync()
    {
        lock (_order)
            return _pending;
    }

    /// <summary>The space a query or an upsert names; Qdrant refuses names the collection does not have.</summary>
    public VectorSpace Space(string name) =>
        Spaces.TryGetValue(name, out var space) ? space : throw Qdrant.WrongInput($"Not existing vector name error: {name}");
}

using System.Diagnostics;

namespace Rag.Engine.Admission;

/// <summary>
/// Admission for one kind of model work: at most <c>maxConcurrent</c> holders at once and at most
/// <c>maxQueued</c> waiting; one more is refused at once with <see cref="WorkRejectedException"/>,
/// before any of its work starts. Waiters are served first come, first served.
/// </summary>
public sealed class WorkGate : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly int _maxQueued;
    private int _waiting;
    private long _heldTicks;
    private long _held;

    /// <summary>Creates the gate for <paramref name="kind"/>.</summary>
    public WorkGate(WorkKind kind, int maxConcurrent, int maxQueued)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrent, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxQueued);
        Kind = kind;
        MaxConcurrent = maxConcurrent;
        _maxQueued = maxQueued;
        _slots = new SemaphoreSlim(maxConcurrent, maxConcurrent);
    }

    /// <summary>The kind of work this gate admits.</summary>
    public WorkKind Kind { get; }

    /// <summary>Holders allowed at once.</summary>
    public int MaxConcurrent { get; }

    /// <summary>Requests waiting for a turn now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Holders now.</summary>
    public int Running => MaxConcurrent - _slots.CurrentCount;

    /// <summary>
    /// Takes a turn, waiting in line when every slot is busy; throws <see cref="WorkRejectedException"/>
    /// when the line is full. Dispose the lease when the work ends (or is abandoned).
    /// </summary>
    public async ValueTask<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        if (_slots.Wait(0, CancellationToken.None))
            return new Lease(this);
        if (Interlocked.Increment(ref _waiting) > _maxQueued)
        {
            Interlocked.Decrement(ref _waiting);
            throw new WorkRejectedException(Kind, RetryAfter());
        }

        try
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }

        return new Lease(this);
    }

    /// <summary>
    /// When a refused caller may try again: the mean time a turn has been held, times the turns ahead
    /// of it per slot; at least one second, at most a minute.
    /// </summary>
    public TimeSpan RetryAfter()
    {
        var held = Interlocked.Read(ref _held);
        var mean = held == 0 ? TimeSpan.FromSeconds(1) : TimeSpan.FromTicks(Interlocked.Read(ref _heldTicks) / held);
        var turns = (double)(Waiting + Running) / MaxConcurrent;
        var seconds = Math.Ceiling(mean.TotalSeconds * Math.Max(1, turns));
        return TimeSpan.FromSeconds(Math.Clamp(seconds, 1, 60));
    }

    /// <inheritdoc />
    public void Dispose() => _slots.Dispose();

    private void Release(TimeSpan held)
    {
        Interlocked.Add(ref _heldTicks, held.Ticks);
        Interlocked.Increment(ref _held);
        _slots.Release();
    }

    private sealed class Lease(WorkGate gate) : IDisposable
    {
        private readonly long _start = Stopwatch.GetTimestamp();
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                gate.Release(Stopwatch.GetElapsedTime(_start));
        }
    }
}

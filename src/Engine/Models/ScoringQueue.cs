using System.Threading.Channels;
using Microsoft.ML.OnnxRuntime;

namespace Rag.Engine.Models;

/// <summary>
/// The token scorer's queue: requests from concurrent callers (compressions scoring their contexts) batched together,
/// sorted by length, up to <c>maxBatchTokens</c> padded tokens per model run; the sequences of callers who have gone
/// are not scored, and a run whose callers all go is terminated mid-run. Knows no model: it hands batches to
/// <c>scoreBatch</c>.
/// </summary>
internal sealed class ScoringQueue : IDisposable
{
    private readonly Func<IReadOnlyList<IReadOnlyList<int>>, RunOptions?, float[][]> _scoreBatch;
    private readonly int _maxBatchTokens;
    private readonly Channel<ScoreRequest> _scoreQueue = Channel.CreateUnbounded<ScoreRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _scoreLoop;
    private long _abandonedScoreRequests;
    private long _scoredSequences;

    public ScoringQueue(Func<IReadOnlyList<IReadOnlyList<int>>, RunOptions?, float[][]> scoreBatch, int maxBatchTokens)
    {
        _scoreBatch = scoreBatch;
        _maxBatchTokens = maxBatchTokens;
        _scoreLoop = Task.Run(ScoreLoopAsync);
    }

    /// <summary>Requests whose callers went away before their scores were ready.</summary>
    public long AbandonedRequests => Interlocked.Read(ref _abandonedScoreRequests);

    /// <summary>Sequences scored so far.</summary>
    public long ScoredSequences => Interlocked.Read(ref _scoredSequences);

    /// <summary>Queues the sequences and waits for their per-token scores.</summary>
    public Task<float[][]> ScoreAsync(IReadOnlyList<IReadOnlyList<int>> sequences, CancellationToken cancellationToken)
    {
        var request = new ScoreRequest(sequences, cancellationToken);
        if (!_scoreQueue.Writer.TryWrite(request))
            throw new ObjectDisposedException(nameof(ScoringQueue));
        return request.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stops taking requests and lets the loop end.</summary>
    public void Dispose()
    {
        _scoreQueue.Writer.TryComplete();
        _scoreLoop.Wait(TimeSpan.FromSeconds(10));
    }

    private async Task ScoreLoopAsync()
    {
        var reader = _scoreQueue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            // Take every request waiting now, up to the token limit (at least one).
            var taken = new List<ScoreRequest>();
            var tokens = 0;
            while ((taken.Count == 0 || tokens < _maxBatchTokens) && reader.TryPeek(out var peeked))
            {
                var size = peeked.Sequences.Sum(s => s.Count);
                if (taken.Count > 0 && tokens + size > _maxBatchTokens)
                    break;
                reader.TryRead(out var request);
                if (request!.CancellationToken.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _abandonedScoreRequests);
                    request.Completion.TrySetCanceled(request.CancellationToken);
                    continue;
                }

                taken.Add(request);
                tokens += size;
            }

            if (taken.Count == 0)
                continue;
            try
            {
                var all = taken.SelectMany((r, i) => r.Sequences.Select((s, j) => (Request: i, Index: j, Sequence: s))).ToList();
                var results = taken.Select(r => new float[r.Sequences.Count][]).ToList();
                // Sorted by length so each batch pads little; each batch stays under the token limit.
                var ordered = all.OrderBy(x => x.Sequence.Count).ToList();
                var start = 0;
                while (start < ordered.Count)
                {
                    var end = start + 1;
                    while (end < ordered.Count && (end - start + 1) * ordered[end].Sequence.Count <= _maxBatchTokens)
                        end++;
                    // Sequences of callers who have gone are not scored; a run whose callers all go stops mid-run.
                    var slice = ordered.GetRange(start, end - start).Where(x => !taken[x.Request].CancellationToken.IsCancellationRequested).ToList();
                    start = end;
                    if (slice.Count == 0)
                        continue;
                    var scored = ScoreSlice(slice.Select(x => x.Sequence).ToList(), slice.Select(x => taken[x.Request].CancellationToken).Distinct().ToList());
                    if (scored is null)
                        continue;
                    Interlocked.Add(ref _scoredSequences, slice.Count);
                    for (var i = 0; i < slice.Count; i++)
                        results[slice[i].Request][slice[i].Index] = scored[i];
                }

                for (var i = 0; i < taken.Count; i++)
                {
                    if (taken[i].CancellationToken.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref _abandonedScoreRequests);
                        taken[i].Completion.TrySetCanceled(taken[i].CancellationToken);
                    }
                    else
                    {
                        taken[i].Completion.TrySetResult(results[i]);
                    }
                }
            }
#pragma warning disable CA1031 // The failure belongs to the callers waiting on this batch.
            catch (Exception e)
#pragma warning restore CA1031
            {
                foreach (var request in taken)
                    request.Completion.TrySetException(e);
            }
        }
    }

    /// <summary>Scores one batch; null when every caller it serves cancelled (the run is terminated as they go).</summary>
    private float[][]? ScoreSlice(List<IReadOnlyList<int>> sequences, List<CancellationToken> callers)
    {
        using var run = new RunOptions();
        var registrations = callers.Select(token => token.Register(() =>
        {
            if (callers.TrueForAll(t => t.IsCancellationRequested))
                run.Terminate = true;
        })).ToList();
        try
        {
            return _scoreBatch(sequences, run);
        }
        catch (OnnxRuntimeException) when (callers.TrueForAll(t => t.IsCancellationRequested))
        {
            return null;
        }
        finally
        {
            foreach (var registration in registrations)
                registration.Dispose();
        }
    }

    private sealed record ScoreRequest(IReadOnlyList<IReadOnlyList<int>> Sequences, CancellationToken CancellationToken)
    {
        public TaskCompletionSource<float[][]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

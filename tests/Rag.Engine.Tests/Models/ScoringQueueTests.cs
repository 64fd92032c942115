using Microsoft.ML.OnnxRuntime;
using Rag.Engine.Models;

namespace Rag.Engine.Tests.Models;

/// <summary>The token scorer's queue with a stand-in for the model run.</summary>
public sealed class ScoringQueueTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Concurrent_callers_share_runs_sorted_by_length_under_the_token_limit_and_each_gets_its_own_scores()
    {
        var runs = new List<int[]>();
        var gate = new ManualResetEventSlim(false);
        float[][] Score(IReadOnlyList<IReadOnlyList<int>> sequences, RunOptions? run)
        {
            gate.Wait(Bound);
            lock (runs)
                runs.Add([.. sequences.Select(s => s.Count)]);
            return [.. sequences.Select(s => s.Skip(1).Select(t => (float)t).ToArray())];
        }

        using var queue = new ScoringQueue(Score, maxBatchTokens: 40);
        var first = queue.ScoreAsync([Enumerable.Range(0, 3).ToArray()], CancellationToken.None);
        var a = queue.ScoreAsync([Enumerable.Range(10, 12).ToArray(), Enumerable.Range(50, 4).ToArray()], CancellationToken.None);
        var b = queue.ScoreAsync([Enumerable.Range(100, 5).ToArray()], CancellationToken.None);
        gate.Set();

        await first.WaitAsync(Bound);
        var scoresA = await a.WaitAsync(Bound);
        var scoresB = await b.WaitAsync(Bound);

        Assert.Equal(Enumerable.Range(11, 11).Select(t => (float)t), scoresA[0]);
        Assert.Equal(Enumerable.Range(51, 3).Select(t => (float)t), scoresA[1]);
        Assert.Equal(Enumerable.Range(101, 4).Select(t => (float)t), scoresB[0]);
        Assert.All(runs, run => Assert.True(run.Length == 1 || run.Length * run.Max() <= 40, $"run over the limit: {string.Join(",", run)}"));
        Assert.All(runs, run => Assert.Equal(run.Order(), run));
        Assert.Contains(runs, run => run.Contains(4) && run.Contains(5)); // A's short sequence and B's, in one run
        Assert.Equal(4, queue.ScoredSequences);
    }

    [Fact]
    public async Task A_caller_who_goes_is_not_scored_and_counts_as_abandoned()
    {
        var scored = new List<int>();
        var gate = new ManualResetEventSlim(false);
        var entered = new ManualResetEventSlim(false);
        float[][] Score(IReadOnlyList<IReadOnlyList<int>> sequences, RunOptions? run)
        {
            entered.Set();
            gate.Wait(Bound);
            lock (scored)
                scored.AddRange(sequences.Select(s => s[0]));
            return [.. sequences.Select(s => new float[s.Count - 1])];
        }

        using var queue = new ScoringQueue(Score, maxBatchTokens: 100);
        using var gone = new CancellationTokenSource();
        var blocker = queue.ScoreAsync([[1, 2, 3]], CancellationToken.None);
        Assert.True(entered.Wait(Bound), "the first run started");
        var leaving = queue.ScoreAsync([[7, 8, 9]], gone.Token);
        gone.Cancel();
        gate.Set();

        await blocker.WaitAsync(Bound);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);
        var after = await queue.ScoreAsync([[5, 6]], CancellationToken.None).WaitAsync(Bound);

        Assert.Single(after);
        Assert.DoesNotContain(7, scored);
        Assert.Equal(1, queue.AbandonedRequests);
    }
}

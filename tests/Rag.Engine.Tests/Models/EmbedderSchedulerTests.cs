using Rag.Engine.Models;
using Rag.Tests.Shared;

namespace Rag.Engine.Tests.Models;

/// <summary>The encoder's queue with a stand-in for the model run: what it batches, in what order, and who a failure reaches.</summary>
public sealed class EmbedderSchedulerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>A text of <paramref name="length"/> token ids, tagged by its first id.</summary>
    private static EncodedText Text(int tag, int length) => new([tag, .. Enumerable.Repeat(1L, length - 1)], false);

    /// <summary>The stand-in: a text's vector is (its tag, its length); every batch is recorded.</summary>
    private sealed class StandIn
    {
        public List<long[]> Batches { get; } = [];

        public Func<IReadOnlyList<EncodedText>, bool>? Fail { get; set; }

        public ManualResetEventSlim Gate { get; } = new(true);

        /// <summary>Set once a run has started (and waits at the gate).</summary>
        public ManualResetEventSlim Entered { get; } = new(false);

        public (float[] Vector, float[]?[]? Spans)[] Run(IReadOnlyList<EncodedText> batch)
        {
            Entered.Set();
            Gate.Wait(Bound);
            lock (Batches)
                Batches.Add([.. batch.Select(t => t.Ids[0])]);
            if (Fail?.Invoke(batch) == true)
                throw new InvalidOperationException("model run failed");
            return [.. batch.Select(t => ((float[])[t.Ids[0], t.Ids.Length], (float[]?[]?)null))];
        }
    }

    [Fact]
    public async Task Document_texts_are_batched_by_length_across_callers_within_the_limits_and_each_caller_gets_its_own_vectors_in_order()
    {
        var model = new StandIn();
        using var scheduler = new EmbedderScheduler(model.Run, new EmbedderOptions { BatchSize = 4, MaxBatchTokens = 60 }, "test");
        model.Gate.Reset();
        // A run in flight holds the queue, so both callers' texts are waiting when the next batches are chosen.
        var blocker = scheduler.EnqueueAsync([Text(1, 2)], queries: false, CancellationToken.None);
        Assert.True(model.Entered.Wait(Bound), "the first run started");
        int[] lengthsA = [30, 2, 9, 3, 14, 2];
        int[] lengthsB = [2, 3, 13, 4];
        var a = scheduler.EnqueueAsync([.. lengthsA.Select((l, i) => Text(100 + i, l))], queries: false, CancellationToken.None);
        var b = scheduler.EnqueueAsync([.. lengthsB.Select((l, i) => Text(200 + i, l))], queries: false, CancellationToken.None);
        model.Gate.Set();

        await blocker.WaitAsync(Bound);
        var vectorsA = await a.WaitAsync(Bound);
        var vectorsB = await b.WaitAsync(Bound);
        model.Batches.RemoveAt(0);

        Assert.Equal(lengthsA.Select((l, i) => (100f + i, (float)l)), vectorsA.Select(v => (v.Vector[0], v.Vector[1])));
        Assert.Equal(lengthsB.Select((l, i) => (200f + i, (float)l)), vectorsB.Select(v => (v.Vector[0], v.Vector[1])));
        var length = lengthsA.Select((l, i) => (Tag: 100L + i, l)).Concat(lengthsB.Select((l, i) => (Tag: 200L + i, l))).ToDictionary(x => x.Tag, x => x.l);
        Assert.Equal(lengthsA.Length + lengthsB.Length, model.Batches.Sum(x => x.Length));
        Assert.All(model.Batches, batch =>
        {
            Assert.InRange(batch.Length, 1, 4);
            Assert.True(batch.Length == 1 || batch.Length * batch.Max(t => length[t]) <= 60, $"padded tokens over the limit: {string.Join(",", batch)}");
        });
        // Texts of both callers share batches: a short text of B rides with short texts of A.
        Assert.Contains(model.Batches, batch => batch.Any(t => t < 200) && batch.Any(t => t >= 200));
    }

    [Fact]
    public async Task A_query_runs_before_the_document_texts_that_were_waiting()
    {
        var model = new StandIn();
        using var scheduler = new EmbedderScheduler(model.Run, new EmbedderOptions { BatchSize = 2, MaxBatchTokens = 1000 }, "test");
        model.Gate.Reset();
        var documents = scheduler.EnqueueAsync([.. Enumerable.Range(0, 12).Select(i => Text(100 + i, 5))], queries: false, CancellationToken.None);
        await Eventually.TrueAsync(() => model.Gate.IsSet is false && scheduler.DocumentTextsEmbedded == 12, "documents queued");
        var query = scheduler.EnqueueAsync([Text(900, 5)], queries: true, CancellationToken.None);
        model.Gate.Set();

        await Task.WhenAll(documents, query).WaitAsync(Bound);

        // The first document batch was already running when the query came; the query is in the next run.
        var firstWithQuery = model.Batches.FindIndex(b => b.Contains(900));
        Assert.InRange(firstWithQuery, 0, 1);
        Assert.Equal(12, model.Batches.Where((_, i) => i != firstWithQuery).Sum(b => b.Length));
    }

    [Fact]
    public async Task Queries_that_wait_together_share_passes_of_the_query_batch_size()
    {
        var model = new StandIn();
        using var scheduler = new EmbedderScheduler(model.Run, new EmbedderOptions { BatchSize = 2, QueryBatchSize = 16, MaxBatchTokens = 100_000 }, "test");
        model.Gate.Reset();
        var blocker = scheduler.EnqueueAsync([Text(1, 2)], queries: true, CancellationToken.None);
        Assert.True(model.Entered.Wait(Bound), "the first run started");
        // 40 searches arrive, one query each, while the encoder is busy.
        var queries = Enumerable.Range(0, 40).Select(i => scheduler.EnqueueAsync([Text(100 + i, 6)], queries: true, CancellationToken.None)).ToList();
        model.Gate.Set();

        var vectors = await Task.WhenAll(queries).WaitAsync(Bound);
        await blocker.WaitAsync(Bound);

        Assert.Equal(Enumerable.Range(0, 40).Select(i => 100f + i), vectors.Select(v => Assert.Single(v).Vector[0]));
        model.Batches.RemoveAt(0);
        Assert.Equal([16, 16, 8], model.Batches.Select(b => b.Length));
    }

    [Fact]
    public async Task A_small_document_queued_behind_a_large_one_is_embedded_in_the_next_batch()
    {
        var model = new StandIn();
        using var scheduler = new EmbedderScheduler(model.Run, new EmbedderOptions { BatchSize = 4, MaxBatchTokens = 100_000 }, "test");
        model.Gate.Reset();
        // A large document's 400 texts are waiting (one run in flight) when a small document's two texts arrive.
        var large = scheduler.EnqueueAsync([.. Enumerable.Range(0, 400).Select(i => Text(1000 + i, 5))], queries: false, CancellationToken.None);
        Assert.True(model.Entered.Wait(Bound), "the large document's first run started");
        var small = scheduler.EnqueueAsync([Text(1, 3), Text(2, 3)], queries: false, CancellationToken.None);
        model.Gate.Set();

        await Task.WhenAll(small, large).WaitAsync(Bound);

        // The small document's texts were in the batch after the one already running, not after the large one's 400.
        var firstWithSmall = model.Batches.FindIndex(b => b.Contains(1) || b.Contains(2));
        var lastWithSmall = model.Batches.FindLastIndex(b => b.Contains(1) || b.Contains(2));
        Assert.Equal(1, firstWithSmall);
        Assert.Equal(1, lastWithSmall);
    }

    [Fact]
    public async Task A_failed_run_fails_only_the_callers_whose_texts_were_in_it()
    {
        var model = new StandIn { Fail = batch => batch.Any(t => t.Ids[0] == 101) };
        using var scheduler = new EmbedderScheduler(model.Run, new EmbedderOptions { BatchSize = 8, MaxBatchTokens = 1000 }, "test");
        model.Gate.Reset();
        var failing = scheduler.EnqueueAsync([Text(100, 3), Text(101, 40)], queries: false, CancellationToken.None);
        var other = scheduler.EnqueueAsync([Text(200, 3)], queries: true, CancellationToken.None);
        model.Gate.Set();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing.WaitAsync(Bound));
        Assert.Equal("model run failed", error.Message);
        Assert.Equal(200f, Assert.Single(await other.WaitAsync(Bound)).Vector[0]);
    }

    [Fact]
    public async Task A_cancelled_caller_waits_no_more_and_its_texts_not_yet_taken_are_not_run()
    {
        var model = new StandIn();
        using var scheduler = new EmbedderScheduler(model.Run, new EmbedderOptions { BatchSize = 1, MaxBatchTokens = 1000 }, "test");
        using var cancel = new CancellationTokenSource();
        model.Gate.Reset();
        var cancelled = scheduler.EnqueueAsync([.. Enumerable.Range(0, 20).Select(i => Text(100 + i, 3))], queries: false, cancel.Token);
        await Eventually.TrueAsync(() => scheduler.DocumentTextsEmbedded == 20, "texts queued");
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Bound));
        model.Gate.Set();
        var after = await scheduler.EnqueueAsync([Text(300, 3)], queries: false, CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(300f, Assert.Single(after).Vector[0]);
        // At most the one run in flight when the caller gave up took its texts.
        Assert.InRange(model.Batches.Count(b => b.Any(t => t < 300)), 0, 1);
    }
}

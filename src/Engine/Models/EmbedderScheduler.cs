using System.Threading.Channels;
using Rag.Retrieval.Vectors;

namespace Rag.Engine.Models;

/// <summary>
/// The encoder's queue: one model run at a time, on a thread of its own. Requests from concurrent callers (two
/// documents being ingested, a search) wait in two queues; each run takes the waiting queries first and whole (in
/// batches of <see cref="EmbedderOptions.QueryBatchSize"/>), then
/// up to <see cref="EmbedderOptions.BatchSize"/> document texts across the waiting documents, sorted by length so
/// padding stays small, within <see cref="EmbedderOptions.MaxBatchTokens"/>. Knows no model: it hands batches to
/// <c>runBatch</c>, so it is tested with a stand-in.
/// </summary>
internal sealed class EmbedderScheduler : IDisposable
{
    private readonly Func<IReadOnlyList<EncodedText>, (float[] Vector, float[]?[]? Spans)[]> _runBatch;
    private readonly EmbedderOptions _options;
    private readonly Channel<Request> _queries = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<Request> _documents = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _disposed = new();
    private readonly Thread _worker;
    private long _documentTexts;
    private long _queryTexts;

    /// <summary>Starts the queue's thread.</summary>
    /// <param name="runBatch">One model run over a batch: each text's vector and its spans' vectors.</param>
    /// <param name="options">Batch size and padded-token limits.</param>
    /// <param name="name">The thread's name.</param>
    public EmbedderScheduler(Func<IReadOnlyList<EncodedText>, (float[] Vector, float[]?[]? Spans)[]> runBatch, EmbedderOptions options, string name)
    {
        _runBatch = runBatch;
        _options = options;
        _worker = new Thread(RunLoop) { IsBackground = true, Name = name };
        _worker.Start();
    }

    /// <summary>Document texts asked for so far.</summary>
    public long DocumentTextsEmbedded => Interlocked.Read(ref _documentTexts);

    /// <summary>Queries asked for so far.</summary>
    public long QueriesEmbedded => Interlocked.Read(ref _queryTexts);

    /// <summary>Queues the texts (queries ahead of documents) and waits for their vectors.</summary>
    public Task<IReadOnlyList<Embedding>> EnqueueAsync(EncodedText[] texts, bool queries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        if (texts.Length == 0)
            return Task.FromResult<IReadOnlyList<Embedding>>([]);
        Interlocked.Add(ref queries ? ref _queryTexts : ref _documentTexts, texts.Length);
        var request = new Request(texts, cancellationToken);
        if (!(queries ? _queries : _documents).Writer.TryWrite(request))
            throw new ObjectDisposedException(nameof(EmbedderScheduler));
        _signal.Release();
        return request.Completion.Task.WaitAsync(cancellationToken);
    }

    private void RunLoop()
    {
        var open = new List<Request>(); // document requests with texts left, oldest first
        var stop = _disposed.Token;
        try
        {
            while (true)
            {
                _signal.Wait(stop);
                while (true)
                {
                    var queries = new List<Request>();
                    while (_queries.Reader.TryRead(out var query))
                        queries.Add(query);
                    while (_documents.Reader.TryRead(out var document))
                        open.Add(document);
                    open.RemoveAll(r => r.Cancelled());
                    queries.RemoveAll(r => r.Cancelled());

                    // Queries first and whole (in batches of QueryBatchSize); then one batch of document texts, so a query
                    // waits at most one batch.
                    var work = queries.SelectMany(r => r.Remaining()).ToList();
                    var batchSize = _options.QueryBatchSize;
                    if (work.Count == 0)
                    {
                        work = NextDocumentBatch(open);
                        batchSize = _options.BatchSize;
                    }

                    if (work.Count == 0)
                        break;
                    try
                    {
                        Run(work, batchSize);
                    }
#pragma warning disable CA1031 // The loop serves every caller: a fault fails the callers it concerns, never the loop.
                    catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
#pragma warning restore CA1031
                    {
                        foreach (var request in work.Select(w => w.Item1).Distinct())
                            request.Completion.TrySetException(e);
                    }

                    open.RemoveAll(r => r.Completion.Task.IsCompleted);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            while (_queries.Reader.TryRead(out var query))
                open.Add(query);
            while (_documents.Reader.TryRead(out var document))
                open.Add(document);
            foreach (var request in open)
                request.Completion.TrySetException(new ObjectDisposedException(nameof(EmbedderScheduler)));
        }
    }

    /// <summary>
    /// The shortest texts among the next few batches' worth of waiting document texts, at most
    /// <see cref="EmbedderOptions.BatchSize"/> and <see cref="EmbedderOptions.MaxBatchTokens"/> padded tokens. The
    /// window takes one text from each waiting request in turn (oldest first), so every document waiting has texts in
    /// the next batches: a small document's few texts never wait behind a large one's thousands.
    /// </summary>
    private List<(Request Request, int Index)> NextDocumentBatch(List<Request> open)
    {
        var size = _options.BatchSize * 4;
        var window = new List<(Request Request, int Index)>();
        var remaining = open.Select(r => r.Remaining().GetEnumerator()).ToList();
        while (window.Count < size && remaining.Count > 0)
        {
            for (var i = 0; i < remaining.Count && window.Count < size; i++)
            {
                if (remaining[i].MoveNext())
                {
                    window.Add(remaining[i].Current);
                }
                else
                {
                    remaining.RemoveAt(i);
                    i--;
                }
            }
        }

        window.Sort((a, b) => a.Request.Texts[a.Index].Ids.Length.CompareTo(b.Request.Texts[b.Index].Ids.Length));
        var batch = new List<(Request Request, int Index)>();
        foreach (var item in window)
        {
            var length = item.Request.Texts[item.Index].Ids.Length;
            if (batch.Count > 0 && (batch.Count >= _options.BatchSize || (batch.Count + 1) * length > _options.MaxBatchTokens))
                break;
            batch.Add(item);
        }

        return batch;
    }

    /// <summary>Runs <paramref name="work"/> in batches of at most <paramref name="batchSize"/> texts under the token limit and hands each vector to its request.</summary>
    private void Run(List<(Request Request, int Index)> work, int batchSize)
    {
        work.Sort((a, b) => a.Request.Texts[a.Index].Ids.Length.CompareTo(b.Request.Texts[b.Index].Ids.Length));
        var start = 0;
        while (start < work.Count)
        {
            var end = start + 1;
            while (end < work.Count && end - start < batchSize
                   && (end - start + 1) * work[end].Request.Texts[work[end].Index].Ids.Length <= _options.MaxBatchTokens)
                end++;
            var batch = work.GetRange(start, end - start);
            foreach (var (request, index) in batch)
                request.Taken(index);
            try
            {
                var vectors = _runBatch([.. batch.Select(w => w.Request.Texts[w.Index])]);
                for (var i = 0; i < batch.Count; i++)
                {
                    var (request, index) = batch[i];
                    var encoded = request.Texts[index];
                    request.Done(index, new Embedding(vectors[i].Vector, encoded.Ids.Length, encoded.Truncated, vectors[i].Spans));
                }
            }
#pragma warning disable CA1031 // The failure belongs to the callers whose texts were in this batch.
            catch (Exception e)
#pragma warning restore CA1031
            {
                foreach (var request in batch.Select(b => b.Request).Distinct())
                    request.Completion.TrySetException(e);
            }

            start = end;
        }
    }

    /// <summary>Stops the thread; requests still waiting fail as disposed.</summary>
    public void Dispose()
    {
        if (_disposed.IsCancellationRequested)
            return;
        _disposed.Cancel();
        _queries.Writer.TryComplete();
        _documents.Writer.TryComplete();
        _worker.Join();
        _disposed.Dispose();
        _signal.Dispose();
    }

    /// <summary>One caller's texts: which are taken by a run, which are done, and the completion it waits on.</summary>
    private sealed class Request(EncodedText[] texts, CancellationToken cancellationToken)
    {
        private readonly Embedding?[] _results = new Embedding?[texts.Length];
        private readonly bool[] _taken = new bool[texts.Length];
        private int _first; // every text before this one is taken
        private int _done;

        public EncodedText[] Texts => texts;

        public TaskCompletionSource<IReadOnlyList<Embedding>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The texts no run has taken yet, in order.</summary>
        public IEnumerable<(Request, int)> Remaining()
        {
            for (var i = _first; i < texts.Length; i++)
            {
                if (!_taken[i])
                    yield return (this, i);
            }
        }

        public void Taken(int index)
        {
            _taken[index] = true;
            while (_first < texts.Length && _taken[_first])
                _first++;
        }

        public void Done(int index, Embedding embedding)
        {
            _results[index] = embedding;
            _done++;
            if (_done == texts.Length)
                Completion.TrySetResult(_results!);
        }

        public bool Cancelled()
        {
            if (!cancellationToken.IsCancellationRequested && !Completion.Task.IsCompleted)
                return false;
            Completion.TrySetCanceled(cancellationToken);
            return true;
        }
    }
}

using System.Collections.Concurrent;

namespace Rag.Engine.Ingestion;

/// <summary>
/// The ingestion runs of this process, by document, so that deleting a document stops its ingestion
/// at once (the encoder stops mid-run) instead of waiting for it to finish.
/// </summary>
public sealed class IngestionRuns
{
    private readonly ConcurrentDictionary<(string Collection, string DocumentId), Run> _running = new();

    /// <summary>Registers a run of the document; its <see cref="Run.Token"/> ends with <paramref name="job"/>, with <see cref="Cancel"/>, or after <paramref name="timeLimit"/>.</summary>
    public Run Begin(string collection, string documentId, CancellationToken job, TimeSpan timeLimit)
    {
        var run = new Run(this, (collection, documentId), job);
        run.LimitTo(timeLimit);
        _running[(collection, documentId)] = run;
        return run;
    }

    /// <summary>Stops the document's run in this process, if one is going; true when there was one.</summary>
    public bool Cancel(string collection, string documentId)
    {
        if (!_running.TryGetValue((collection, documentId), out var run))
            return false;
        run.Stop();
        return true;
    }

    /// <summary>One run: the token its work observes.</summary>
    public sealed class Run : IDisposable
    {
        private readonly IngestionRuns _owner;
        private readonly (string, string) _key;
        private readonly CancellationTokenSource _source;
        private readonly CancellationToken _job;

        internal Run(IngestionRuns owner, (string, string) key, CancellationToken job)
        {
            _owner = owner;
            _key = key;
            _job = job;
            _source = CancellationTokenSource.CreateLinkedTokenSource(job);
        }

        /// <summary>Cancelled when the job is, or when the document is deleted.</summary>
        public CancellationToken Token => _source.Token;

        /// <summary>True when the run was stopped because its document is being deleted.</summary>
        public bool StoppedForDelete { get; private set; }

        /// <summary>True when the run was stopped because it took longer than its time limit.</summary>
        public bool TimedOut => _source.IsCancellationRequested && !StoppedForDelete && !_job.IsCancellationRequested;

        internal void LimitTo(TimeSpan limit) => _source.CancelAfter(limit);

        internal void Stop()
        {
            StoppedForDelete = true;
            _source.Cancel();
        }

        /// <summary>Ends the run: it can no longer be cancelled from here.</summary>
        public void Dispose()
        {
            ((ICollection<KeyValuePair<(string, string), Run>>)_owner._running).Remove(new(_key, this));
            _source.Dispose();
        }
    }
}

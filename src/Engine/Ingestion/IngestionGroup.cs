using System.Diagnostics;
using Rag.Retrieval.Chunking;
using Rag.Retrieval.Stores;
using Rag.Retrieval.Vectors;

namespace Rag.Engine.Ingestion;

/// <summary>
/// The documents of one collection that one ingestion run takes through the steps together (a single upload is a
/// group of one). A document leaves the group when it ends — gone, failed with its reason, stopped for a delete — or
/// fails in a way a retry may fix (<see cref="Failures"/>); the steps after only see the documents still in it.
/// </summary>
public sealed class IngestionGroup
{
    private readonly List<GroupDocument> _documents;
    private readonly List<IngestionFailure> _failures = [];
    private readonly List<(GroupDocument Document, string Reason)> _unreadable = [];

    private readonly IngestionLog _log;
    private readonly TimeSpan _timeLimit;

    internal IngestionGroup(string collection, IEnumerable<GroupDocument> documents, bool reportsProgress, IngestionLog log, TimeSpan timeLimit)
    {
        Collection = collection;
        _documents = [.. documents];
        ReportsProgress = reportsProgress;
        _log = log;
        _timeLimit = timeLimit;
    }

    /// <summary>The documents' collection.</summary>
    public string Collection { get; }

    /// <summary>
    /// Whether the steps write the documents' states and progress as they go (a group of one document: an upload
    /// someone watches, possibly large). A group's documents go from queued to ready together within moments, and
    /// writing their intermediate states would cost a transaction per step.
    /// </summary>
    public bool ReportsProgress { get; }

    /// <summary>The documents still in the group, in upload order.</summary>
    public IReadOnlyList<GroupDocument> Documents => _documents;

    /// <summary>The documents that failed with an error a retry may fix, with it.</summary>
    public IReadOnlyList<IngestionFailure> Failures => _failures;

    /// <summary>Documents that ended as failed with a reason for the uploader, not yet written (<see cref="TakeUnreadable"/>).</summary>
    internal bool HasUnreadable => _unreadable.Count > 0;

    /// <summary>Takes the document out: it is gone or stopped, and nothing more is written for it.</summary>
    internal void Remove(GroupDocument document)
    {
        if (_documents.Remove(document))
            document.Dispose();
    }

    /// <summary>Takes the document out as failed for a reason a retry cannot change (written by the runner after the step).</summary>
    internal void EndUnreadable(GroupDocument document, string reason)
    {
        if (!_documents.Remove(document))
            return;
        document.Span?.SetStatus(ActivityStatusCode.Error, reason);
        _unreadable.Add((document, reason));
    }

    /// <summary>Takes the document out with an error a retry may fix.</summary>
    internal void Fail(GroupDocument document, Exception error)
    {
        if (!_documents.Remove(document))
            return;
        document.Dispose();
        _failures.Add(new IngestionFailure(document.Record.Id, error));
    }

    /// <summary>
    /// Takes out a document whose run was stopped: for a delete (nothing to finish, nothing to retry), or past its
    /// time limit (retrying would take as long again: it fails once, with the reason).
    /// </summary>
    internal void EndStopped(GroupDocument document)
    {
        if (document.Run.StoppedForDelete)
        {
            _log.StoppedForDelete(Collection, document.Record.Id);
            Remove(document);
            return;
        }

        var reason = $"Ingestion took longer than {_timeLimit} (Rag:Ingestion:MaxDocumentTime); split the document or raise the limit.";
        EndUnreadable(document, reason);
    }

    /// <summary>
    /// Runs <paramref name="work"/> for each document in turn under the document's own run (its delete and time
    /// limit): a document that cannot be read ends with its reason, one stopped ends (<see cref="EndStopped"/>), one
    /// that fails otherwise leaves with its error; the others go on.
    /// </summary>
    internal async Task EachAsync(Func<GroupDocument, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        foreach (var document in _documents.ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await work(document, document.Run.Token);
            }
            catch (Retrieval.Parsing.DocumentParseException e)
            {
                EndUnreadable(document, e.Message);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && document.Run.Token.IsCancellationRequested)
            {
                EndStopped(document);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Fail(document, e);
            }
        }
    }

    /// <summary>Takes every document out with the same error (a step over the whole group failed).</summary>
    internal void FailAll(Exception error)
    {
        foreach (var document in _documents.ToList())
            Fail(document, error);
    }

    /// <summary>The documents ended as unreadable since the last call, with their reasons; their spans end.</summary>
    internal IReadOnlyList<(GroupDocument Document, string Reason)> TakeUnreadable()
    {
        var taken = _unreadable.ToList();
        _unreadable.Clear();
        foreach (var (document, _) in taken)
            document.Dispose();
        return taken;
    }

    /// <summary>Ends what is left (spans of documents still in the group when the run stops).</summary>
    internal void Close()
    {
        foreach (var document in _documents)
            document.Dispose();
        foreach (var (document, _) in _unreadable)
            document.Dispose();
    }
}

/// <summary>One document of an <see cref="IngestionGroup"/>: what the steps have made of it so far.</summary>
public sealed class GroupDocument : IDisposable
{
    internal GroupDocument(DocumentRecord record, byte[]? content, IngestionRuns.Run run, Activity? span)
    {
        Record = record;
        Content = content;
        Run = run;
        Span = span;
    }

    /// <summary>The stored document as the run found it.</summary>
    public DocumentRecord Record { get; }

    /// <summary>The uploaded bytes (null once parsed, or when the run resumed after parsing).</summary>
    public byte[]? Content { get; internal set; }

    /// <summary>The parsed text (set by parsing, or read back when the run resumes after it).</summary>
    public string? Text { get; internal set; }

    /// <summary>The parsed document, between parsing and chunking.</summary>
    internal Retrieval.Parsing.ParsedDocument? Parsed { get; set; }

    /// <summary>The chunks (set by chunking, or read back when the run resumes after they were stored).</summary>
    public IReadOnlyList<TextChunk>? Chunks { get; internal set; }

    /// <summary>Whether text and chunks are stored already (written by this run, or by an earlier one it resumes).</summary>
    public bool Stored { get; internal set; }

    /// <summary>The chunks' vectors in the chunks' order, and whether each chunk was longer than the encoder reads.</summary>
    internal List<(ChunkVector Vector, bool Truncated)>? Vectors { get; set; }

    /// <summary>This document's run: cancelled by a delete or past its time limit.</summary>
    internal IngestionRuns.Run Run { get; }

    /// <summary>The document's <c>rag.ingest</c> span.</summary>
    internal Activity? Span { get; }

    /// <summary>Since the run took the document.</summary>
    internal Stopwatch Clock { get; } = Stopwatch.StartNew();

    /// <summary>Ends the document's span and run.</summary>
    public void Dispose()
    {
        Span?.Dispose();
        Run.Dispose();
    }
}

/// <summary>A document whose ingestion failed with an error a retry may fix.</summary>
/// <param name="DocumentId">The document.</param>
/// <param name="Error">What went wrong.</param>
public sealed record IngestionFailure(string DocumentId, Exception Error);

/// <summary>One step of ingestion over a group: idempotent, so running it again after a crash or a retry is safe.</summary>
internal interface IIngestionStep
{
    /// <summary>The step's name in traces and logs.</summary>
    string Name { get; }

    /// <summary>Does the step for the group's documents; a document it cannot finish leaves the group.</summary>
    Task RunAsync(IngestionGroup group, CancellationToken cancellationToken);
}

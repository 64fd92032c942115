namespace Rag.Engine.Diagnostics;

/// <summary>
/// The engine's log event ids, one place, no two alike: 1000s start-up and recovery, 1100s ingestion,
/// 1200s re-indexing, 1300s models. A log query by id finds exactly one kind of event.
/// </summary>
public static class LogEvents
{
    /// <summary>Unfinished documents queued again at start.</summary>
    public const int RecoveryResumed = 1000;

    /// <summary>Stale unfinished documents queued again.</summary>
    public const int RecoveryStale = 1001;

    /// <summary>The stale-document sweep failed (retried later).</summary>
    public const int RecoverySweepFailed = 1002;


    /// <summary>A document was ingested.</summary>
    public const int DocumentReady = 1100;

    /// <summary>A document cannot be ingested (its reason is the uploader's).</summary>
    public const int DocumentUnreadable = 1101;

    /// <summary>A document was deleted before its ingestion finished.</summary>
    public const int DocumentGone = 1102;

    /// <summary>Chunks longer than the embedder reads.</summary>
    public const int ChunksTruncated = 1103;

    /// <summary>A running ingestion stopped because its document is being deleted.</summary>
    public const int IngestionStoppedForDelete = 1104;

    /// <summary>In-process ingestion gave up on a document after its attempts.</summary>
    public const int IngestionGivenUp = 1105;

    /// <summary>The vector backfill embedded documents.</summary>
    public const int BackfillDone = 1200;

    /// <summary>The vector backfill could not embed a document.</summary>
    public const int BackfillFailed = 1201;


    /// <summary>Where ONNX Runtime runs models.</summary>
    public const int ModelDevice = 1300;

    /// <summary>A model was loaded.</summary>
    public const int ModelLoaded = 1301;

    /// <summary>The models in their roles.</summary>
    public const int ModelRoles = 1302;


}

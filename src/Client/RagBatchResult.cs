namespace Rag.Client;

/// <summary>What a batch upload did: how many documents were new, already there or refused, and one entry per document in the order sent.</summary>
public sealed record RagBatchResult(int Accepted, int Duplicates, int Rejected, IReadOnlyList<RagBatchItem> Documents, string? BatchId = null, string? StatusUrl = null);

/// <summary>
/// Where a batch upload's documents are (those it created and that still exist): counts by state, whether none is
/// queued or running, mean progress, bytes and the tokens of the ready documents' chunks.
/// </summary>
public sealed record RagBatch(
    string Id, string Collection, int Documents, int Queued, int Running, int Ready, int Failed, bool Finished,
    double Progress, long Bytes, long BytesFinished, long TokensIndexed, string StatusUrl);

/// <summary>What cancelling a batch did: how many unfinished documents were deleted, and the batch as it is now (null when nothing is left).</summary>
public sealed record RagBatchCancel(string Id, int Cancelled, RagBatch? Batch);

/// <summary>One document of a batch: its position (1-based), and the stored document or why it was refused.</summary>
public sealed record RagBatchItem(int Item, string? FileName, string? Id, string? StatusUrl, string? State, bool? Duplicate, RagBatchError? Error);

/// <summary>Why a document of a batch was refused: the status a single upload would have had, and the problem's words per field.</summary>
public sealed record RagBatchError(int Status, string? Title, string? Detail, IReadOnlyDictionary<string, string[]>? Errors);

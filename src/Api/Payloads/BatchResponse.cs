using Rag.Retrieval.Stores;

namespace Rag.Api.Payloads;

/// <summary>
/// Where a batch upload's documents are: those it created and that still exist (duplicates of documents already
/// there were never part of it; a deleted document leaves it). <c>finished</c>: none is queued or running.
/// </summary>
public sealed record BatchResponse(
    string Id,
    string Collection,
    int Documents,
    int Queued,
    int Running,
    int Ready,
    int Failed,
    bool Finished,
    double Progress,
    long Bytes,
    long BytesFinished,
    long TokensIndexed,
    string StatusUrl)
{
    public static BatchResponse From(string collection, string id, BatchSummary batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return new(id, collection, batch.Documents, batch.Queued, batch.Running, batch.Ready, batch.Failed,
            batch.Queued + batch.Running == 0, batch.Progress, batch.Bytes, batch.BytesFinished, batch.TokensIndexed, StatusUrlOf(collection, id));
    }

    public static string StatusUrlOf(string collection, string id) => $"/v1/collections/{collection}/batches/{id}";
}

/// <summary>What cancelling a batch did: how many unfinished documents were deleted, and the batch as it is now (null when nothing is left of it).</summary>
public sealed record BatchCancelResponse(string Id, int Cancelled, BatchResponse? Batch);

namespace Rag.Retrieval.Stores;

/// <summary>
/// Where a batch upload's documents are: those the batch created and that still exist (a deleted document
/// leaves its batch; duplicates of documents already there were never part of it).
/// </summary>
/// <param name="Documents">Documents of the batch.</param>
/// <param name="Queued">Waiting for ingestion.</param>
/// <param name="Running">Being parsed, chunked, embedded or indexed.</param>
/// <param name="Ready">Searchable.</param>
/// <param name="Failed">Ended without being searchable (each with its reason).</param>
/// <param name="Bytes">Their uploaded bytes.</param>
/// <param name="BytesFinished">Uploaded bytes of the documents whose ingestion ended (ready or failed).</param>
/// <param name="Progress">The mean of the documents' progress, 0 to 1.</param>
/// <param name="TokensIndexed">Tokens in the chunks of the ready documents (cl100k).</param>
public sealed record BatchSummary(int Documents, int Queued, int Running, int Ready, int Failed, long Bytes, long BytesFinished, double Progress, long TokensIndexed);

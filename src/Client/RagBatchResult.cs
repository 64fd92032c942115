namespace Rag.Client;

/// <summary>What a batch upload did: how many documents were new, already there or refused, and one entry per document in the order sent.</summary>
public sealed record RagBatchResult(int Accepted, int Duplicates, int Rejected, IReadOnlyList<RagBatchItem> Documents);

/// <summary>One document of a batch: its position (1-based), and the stored document or why it was refused.</summary>
public sealed record RagBatchItem(int Item, string? FileName, string? Id, string? StatusUrl, string? State, bool? Duplicate, RagBatchError? Error);

/// <summary>Why a document of a batch was refused: the status a single upload would have had, and the problem's words per field.</summary>
public sealed record RagBatchError(int Status, string? Title, string? Detail, IReadOnlyDictionary<string, string[]>? Errors);

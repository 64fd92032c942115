namespace Rag.Retrieval.Stores;

/// <summary>What <see cref="IDocumentStore.AddManyAsync"/> did with one upload: the stored document, and whether this call created it.</summary>
public sealed record AddedDocument(DocumentRecord Document, bool Created);

/// <summary>What <see cref="IDocumentStore.GetManyAsync"/> reads besides a document's record.</summary>
[Flags]
public enum DocumentParts
{
    /// <summary>The record only.</summary>
    None = 0,

    /// <summary>The uploaded bytes.</summary>
    Content = 1,

    /// <summary>The parsed text (null before parsing).</summary>
    Text = 2,
}

/// <summary>A document read from the store with the parts asked for (null when not asked, or, for text, not parsed yet).</summary>
public sealed record LoadedDocument(DocumentRecord Document, byte[]? Content = null, string? Text = null);

/// <summary>A document's new state for <see cref="IDocumentStore.UpdateStatesAsync"/>.</summary>
/// <param name="DocumentId">The document.</param>
/// <param name="State">Its state.</param>
/// <param name="Progress">Its progress, 0 to 1.</param>
/// <param name="Error">Why it failed (null otherwise).</param>
public sealed record StateChange(string DocumentId, DocumentState State, double Progress, string? Error = null);

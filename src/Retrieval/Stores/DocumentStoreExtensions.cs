using System.Runtime.CompilerServices;
using Rag.Retrieval.Chunking;

namespace Rag.Retrieval.Stores;

/// <summary>One document at a time over the store's batch operations, and walks over its documents.</summary>
public static class DocumentStoreExtensions
{
    private const int PageSize = 500;

    /// <summary>Stores a new document, or returns the existing one with the same id (see <see cref="IDocumentStore.AddManyAsync"/>).</summary>
    public static async Task<AddedDocument> AddAsync(this IDocumentStore store, NewDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return (await store.AddManyAsync([document], cancellationToken))[0];
    }

    /// <summary>A document, or null.</summary>
    public static async Task<DocumentRecord?> GetAsync(this IDocumentStore store, string collection, string id, CancellationToken cancellationToken) =>
        (await GetOneAsync(store, collection, id, DocumentParts.None, cancellationToken))?.Document;

    /// <summary>The uploaded bytes, or null when the document is gone.</summary>
    public static async Task<byte[]?> GetContentAsync(this IDocumentStore store, string collection, string id, CancellationToken cancellationToken) =>
        (await GetOneAsync(store, collection, id, DocumentParts.Content, cancellationToken))?.Content;

    /// <summary>The parsed text chunk spans point into, or null before parsing (or when the document is gone).</summary>
    public static async Task<string?> GetTextAsync(this IDocumentStore store, string collection, string id, CancellationToken cancellationToken) =>
        (await GetOneAsync(store, collection, id, DocumentParts.Text, cancellationToken))?.Text;

    /// <summary>Sets one document's state, progress and error.</summary>
    public static Task UpdateStateAsync(this IDocumentStore store, string collection, string id, DocumentState state, double progress, string? error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.UpdateStatesAsync(collection, [new StateChange(id, state, progress, error)], cancellationToken);
    }

    /// <summary>Writes one document's parsed text and chunks; false when the document is gone.</summary>
    public static async Task<bool> SaveParsedAsync(this IDocumentStore store, string collection, string id, string text, IReadOnlyList<TextChunk> chunks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return (await store.SaveParsedAsync(collection, [new ParsedChunks(id, text, chunks)], cancellationToken))[0];
    }

    /// <summary>Deletes a document with its content and chunks; false when it did not exist.</summary>
    public static async Task<bool> DeleteAsync(this IDocumentStore store, string collection, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return await store.DeleteManyAsync(collection, [id], cancellationToken) > 0;
    }

    /// <summary>Every document of every collection in <paramref name="state"/>, a page at a time (for start-up passes over the whole store).</summary>
    public static async IAsyncEnumerable<DocumentRecord> AllInStateAsync(this IDocumentStore store, DocumentState state,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        foreach (var collection in await store.ListCollectionsAsync(cancellationToken))
        {
            string? after = null;
            while (true)
            {
                var page = await store.ListAsync(collection, PageSize, after, cancellationToken);
                foreach (var document in page.Where(d => d.State == state))
                    yield return document;
                if (page.Count < PageSize)
                    break;
                after = page[^1].Id;
            }
        }
    }

    private static async Task<LoadedDocument?> GetOneAsync(IDocumentStore store, string collection, string id, DocumentParts parts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var found = await store.GetManyAsync(collection, [id], parts, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }
}

using System.Runtime.CompilerServices;

namespace Rag.Retrieval.Stores;

/// <summary>Walks over a store's documents.</summary>
public static class DocumentStoreExtensions
{
    private const int PageSize = 500;

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
}

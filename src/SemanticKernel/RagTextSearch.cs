using System.Runtime.CompilerServices;
using Microsoft.Extensions.VectorData;
using Microsoft.SemanticKernel.Data;

namespace Rag.SemanticKernel;

/// <summary>
/// Rag as Semantic Kernel's <see cref="ITextSearch"/>: results named by the document's title, linked to the cited span
/// of the document, valued by the chunk's text — or by the chunk compressed for the query, with
/// <see cref="RagTextSearchOptions.CompressionRate"/>. Usable with the text-search plugin
/// (<c>textSearch.CreateWithSearch("rag")</c>, <c>CreateWithGetTextSearchResults</c>) and SK's <c>TextSearchProvider</c>.
/// Filters: <c>TextSearchFilter.Equality("tag", "x")</c> (every tag must match) and <c>Equality("collection", "c")</c>.
/// </summary>
/// <remarks>
/// SK 1.82 marks the non-generic <see cref="ITextSearch"/> obsolete in favour of <c>ITextSearch&lt;TRecord&gt;</c>, which is
/// still experimental (SKEXP0001); its text-search plugin factories (<c>CreateWithSearch</c>, …) and
/// <c>TextSearchProvider</c> take the non-generic one, so that is what Rag implements until the generic one is stable.
/// </remarks>
#pragma warning disable CS0618 // ITextSearch and TextSearchOptions: still what SK's plugin factories take (remarks)
public sealed class RagTextSearch(IRagBackend backend, RagTextSearchOptions? options = null) : ITextSearch
{
    private readonly RagTextSearchOptions _options = options ?? new RagTextSearchOptions();

    /// <inheritdoc/>
    public async Task<KernelSearchResults<string>> SearchAsync(string query, TextSearchOptions? searchOptions = null, CancellationToken cancellationToken = default)
    {
        var results = await FindAsync(query, searchOptions, cancellationToken);
        return new KernelSearchResults<string>(Each(results.Select(r => r.Value), cancellationToken), searchOptions?.IncludeTotalCount == true ? results.Count : null);
    }

    /// <inheritdoc/>
    public async Task<KernelSearchResults<TextSearchResult>> GetTextSearchResultsAsync(string query, TextSearchOptions? searchOptions = null, CancellationToken cancellationToken = default)
    {
        var results = await FindAsync(query, searchOptions, cancellationToken);
        return new KernelSearchResults<TextSearchResult>(
            Each(results.Select(r => new TextSearchResult(r.Value) { Name = r.Name, Link = r.Link }), cancellationToken), searchOptions?.IncludeTotalCount == true ? results.Count : null);
    }

    /// <inheritdoc/>
    public async Task<KernelSearchResults<object>> GetSearchResultsAsync(string query, TextSearchOptions? searchOptions = null, CancellationToken cancellationToken = default)
    {
        var results = await FindAsync(query, searchOptions, cancellationToken);
        return new KernelSearchResults<object>(Each(results.Select(r => (object)r.Hit), cancellationToken), searchOptions?.IncludeTotalCount == true ? results.Count : null);
    }

    private Task<List<(RagSearchResult Hit, string Name, string Link, string Value)>> FindAsync(string query, TextSearchOptions? searchOptions, CancellationToken cancellationToken)
    {
        var collection = _options.Collection;
        var tags = new List<string>();
        foreach (var clause in searchOptions?.Filter?.FilterClauses ?? [])
        {
            switch (clause)
            {
                case EqualToFilterClause { FieldName: "tag" or "tags", Value: { } tag }:
                    tags.Add(tag.ToString()!);
                    break;
                case EqualToFilterClause { FieldName: "collection", Value: { } named }:
                    collection = named.ToString()!;
                    break;
                default:
                    throw new ArgumentException($"Rag's text search filters by equality on 'tag' or 'collection' only; '{(clause as EqualToFilterClause)?.FieldName ?? clause.GetType().Name}' is not one of them.", nameof(searchOptions));
            }
        }

        return FindAsync(query, collection, tags, searchOptions?.Top ?? 5, searchOptions?.Skip ?? 0, cancellationToken);
    }

    private async Task<List<(RagSearchResult Hit, string Name, string Link, string Value)>> FindAsync(
        string query, string collection, List<string> tags, int top, int skip, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1, "Top");
        ArgumentOutOfRangeException.ThrowIfNegative(skip, "Skip");
        var hits = await backend.SearchAsync(collection, query, skip + top, tags.Count == 0 ? null : tags, cancellationToken);
        var results = new List<(RagSearchResult, string, string, string)>();
        foreach (var hit in hits.Skip(skip).Take(top))
        {
            var value = hit.Text;
            if (_options.CompressionRate is { } rate)
                value = (await backend.CompressAsync(hit.Text, query, rate, _options.CompressionMethod, cancellationToken)).CompressedText;
            results.Add((hit, hit.Title ?? hit.DocumentId, backend.Link(collection, hit.DocumentId, hit.Start, hit.End).ToString(), value));
        }

        return results;
    }

    private static async IAsyncEnumerable<T> Each<T>(IEnumerable<T> items, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return item;
        }

        await Task.CompletedTask;
    }
}

#pragma warning restore CS0618

/// <summary>What <see cref="RagTextSearch"/> searches and what it returns as each result's value.</summary>
public sealed class RagTextSearchOptions
{
    /// <summary>The collection searched unless a filter names another.</summary>
    public string Collection { get; set; } = "default";

    /// <summary>When set (0 &lt; rate ≤ 1): each result's value is its chunk compressed to this share of its tokens for the query; null: the chunk's text.</summary>
    public double? CompressionRate { get; set; }

    /// <summary>The compression method for <see cref="CompressionRate"/> (<c>coarse_to_fine</c>: question-aware).</summary>
    public string CompressionMethod { get; set; } = "coarse_to_fine";
}

using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Rag.Api.Contracts;
using Rag.Api.Problems;
using Rag.Engine.Answers;
using Rag.Engine.Documents;
using Rag.Engine.Search;

namespace Rag.Api.Apis;

/// <summary>Search a collection and ask it questions.</summary>
public static class QueryApi
{
    public static RouteGroupBuilder MapQueryApi(this RouteGroupBuilder collection)
    {
        ArgumentNullException.ThrowIfNull(collection);
        collection.MapPost("/search", SearchAsync).WithTags("Query").WithName("Search")
            .WithSummary("Find the chunks that best match a query (BM25)");
        collection.MapPost("/ask", AskAsync).WithTags("Query").WithName("Ask")
            .WithSummary("Answer a question from the collection, with citations and figures");
        return collection;
    }

    public static async Task<Results<Ok<SearchResponse>, ValidationProblem, ProblemHttpResult>> SearchAsync(
        string collection, SearchRequest request, DocumentService documents, SearchService search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(search);
        var errors = new Dictionary<string, string[]>();
        RequestRules.RequireText(errors, "query", request.Query);
        RequestRules.Range(errors, "top_k", request.TopK, 1, 100);
        var tags = RequestRules.Tags(errors, request.Tags);
        if (errors.Count > 0)
            return ApiProblems.Invalid(errors);
        if (!await documents.CollectionExistsAsync(collection, cancellationToken))
            return ApiProblems.CollectionNotFound(collection);

        var clock = Stopwatch.StartNew();
        var results = await search.SearchAsync(collection, new SearchQuery(request.Query!, request.TopK ?? 10, tags), cancellationToken);
        return TypedResults.Ok(new SearchResponse(results, Math.Round(clock.Elapsed.TotalMilliseconds, 2)));
    }

    public static async Task<Results<Ok<AskResult>, ValidationProblem, ProblemHttpResult>> AskAsync(
        string collection, AskRequest request, DocumentService documents, AskService ask, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(ask);
        var errors = new Dictionary<string, string[]>();
        RequestRules.RequireText(errors, "question", request.Question);
        RequestRules.Range(errors, "top_k", request.TopK, 1, 50);
        RequestRules.Range(errors, "budget_tokens", request.BudgetTokens, 16, 32768);
        var tags = RequestRules.Tags(errors, request.Tags);
        if (errors.Count > 0)
            return ApiProblems.Invalid(errors);
        if (!await documents.CollectionExistsAsync(collection, cancellationToken))
            return ApiProblems.CollectionNotFound(collection);

        var query = new AskQuery(request.Question!, request.TopK ?? 5, request.BudgetTokens ?? 256, tags);
        return TypedResults.Ok(await ask.AskAsync(collection, query, cancellationToken));
    }
}

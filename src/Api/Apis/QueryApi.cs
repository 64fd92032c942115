using System.Diagnostics;
using System.Net.ServerSentEvents;
using Rag.Compression;
using Rag.Engine.Admission;
using Rag.Engine.Answers;
using Rag.Engine.Documents;
using Rag.Engine.Models;
using Rag.Engine.Search;

namespace Rag.Api.Apis;

/// <summary>Search a collection and ask it questions.</summary>
public static partial class QueryApi
{
    public static RouteGroupBuilder MapQueryApi(this RouteGroupBuilder collection)
    {
        ArgumentNullException.ThrowIfNull(collection);
        collection.MapPost("/search", SearchAsync).WithTags("Query").WithName("Search")
            .WithSummary("Find the chunks that best match a query (lexical, dense or hybrid)")
            .Refuses(StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge);
        collection.MapPost("/ask", AskAsync).WithTags("Query").WithName("Ask")
            .WithSummary("Answer a question from the collection, with citations and figures; stream: true answers with server-sent events")
            .Produces<AskResult>(StatusCodes.Status200OK, "application/json", "text/event-stream")
            .Refuses(StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status429TooManyRequests)
            .RequireAdmission(http => AskWork(http));
        return collection;
    }

    /// <summary>The work an answer holds: with a generator every answer holds a KV cache; without one, compression holds the models.</summary>
    internal static WorkKind AskWork(HttpContext http) =>
        http.RequestServices.GetService<ITextGenerator>() is null ? WorkKind.Compression : WorkKind.Generation;

    public static async Task<Results<Ok<SearchResponse>, ValidationProblem, ProblemHttpResult>> SearchAsync(
        string collection, SearchRequest request, HttpContext http, DocumentService documents, SearchService search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(search);
        var errors = new Dictionary<string, string[]>();
        RequestRules.RequireText(errors, "query", request.Query);
        RequestRules.Range(errors, "top_k", request.TopK, 1, 100);
        var tags = RequestRules.Tags(errors, request.Tags);
        Mode(errors, request.Mode, search);
        if (errors.Count > 0)
            return ApiProblems.Invalid(errors);
        if (!await documents.CollectionExistsAsync(collection, cancellationToken))
            return ApiProblems.CollectionNotFound(collection);

        var clock = Stopwatch.StartNew();
        var outcome = await search.SearchAsync(collection, new SearchQuery(request.Query!, request.TopK ?? 10, tags, request.Mode, http.GetCaller().CacheScope()), cancellationToken);
        return TypedResults.Ok(new SearchResponse(outcome.Results, outcome.Mode, Math.Round(clock.Elapsed.TotalMilliseconds, 2)));
    }

    public static async Task<Results<Ok<AskResult>, ServerSentEventsResult<object>, ValidationProblem, ProblemHttpResult>> AskAsync(
        string collection, AskRequest request, HttpContext http, DocumentService documents, SearchService search, AskService ask,
        PromptCompressor compressor, IOptions<RagOptions> options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(ask);
        ArgumentNullException.ThrowIfNull(loggers);
        ArgumentNullException.ThrowIfNull(compressor);
        var errors = new Dictionary<string, string[]>();
        RequestRules.RequireText(errors, "question", request.Question);
        RequestRules.Range(errors, "top_k", request.TopK, 1, 50);
        RequestRules.Range(errors, "budget_tokens", request.BudgetTokens, 16, 32768);
        RequestRules.MaxTokens(errors, "max_tokens", request.MaxTokens, options.Value.Limits.MaxOutputTokens);
        if (request.Temperature is < 0 or > 2 || request.Temperature is { } t && !float.IsFinite(t))
            errors["temperature"] = ["'temperature' must be between 0 and 2."];
        if (request.TopP is <= 0 or > 1 || request.TopP is { } p && !float.IsFinite(p))
            errors["top_p"] = ["'top_p' must be above 0 and at most 1."];
        if (request.Stop is { } stop && (stop.Count > 4 || stop.Any(s => s is null || s.Length is 0 or > 64)))
            errors["stop"] = ["'stop' takes at most 4 sequences of 1-64 characters."];
        var tags = RequestRules.Tags(errors, request.Tags);
        Mode(errors, request.Mode, search);
        if (request.Compression is { } compression)
        {
            RequestRules.Compression(errors, "compression.", compression.Rate, compression.TargetToken, compression.KeepFirstSentence, compression.KeepLastSentence);
            if (compression.Method is { } method && !compressor.Supports(method))
                errors["compression.method"] = [$"'compression.method' {method.Name} needs a scorer model (Rag:Models:Scorer); this service has none."];
        }

        if (errors.Count > 0)
            return ApiProblems.Invalid(errors);
        if (!await documents.CollectionExistsAsync(collection, cancellationToken))
            return ApiProblems.CollectionNotFound(collection);

        var query = new AskQuery(
            request.Question!,
            request.TopK ?? 5,
            request.BudgetTokens ?? 256,
            tags,
            request.Mode,
            new GenerationRequest(request.MaxTokens, request.Temperature, request.TopP, request.Seed, request.Stop?.ToList()),
            request.Compression is { } c ? new AskCompression(c.Method ?? CompressionMethod.Auto, c.Rate, c.TargetToken, c.RankMethod, c.KeepFirstSentence ?? 0, c.KeepLastSentence ?? 0) : null,
            http.GetCaller().CacheScope());
        if (request.Stream == true)
            return TypedResults.ServerSentEvents(Events(ask.StreamAsync(collection, query, cancellationToken), loggers.CreateLogger(typeof(QueryApi).FullName!), cancellationToken));
        return TypedResults.Ok(await ask.AskAsync(collection, query, cancellationToken));
    }

    /// <summary>
    /// "token" events ({"text": ...}) as the answer is made, then "done" with the whole result; a failure half-way
    /// is an "error" event with problem details (<see cref="EventStreams"/>).
    /// </summary>
    private static IAsyncEnumerable<SseItem<object>> Events(IAsyncEnumerable<AskEvent> events, ILogger logger, CancellationToken cancellationToken) =>
        EventStreams.EndingWithFailure(
            events.Select(item => item.Result is { } result
                ? new SseItem<object>(result, "done")
                : new SseItem<object>(new AnswerToken(item.Text!), "token")),
            () => new SseItem<object>(
                new { type = "about:blank", title = "The answer failed", status = 500, detail = "The answer could not be completed; the error is in the service log." },
                "error"),
            e => LogStreamFailed(logger, e),
            cancellationToken);

    private static void Mode(Dictionary<string, string[]> errors, SearchMode? mode, SearchService search)
    {
        if (mode is { } m && !search.Supports(m))
            errors["mode"] = [$"'mode' {m.ToString().ToLowerInvariant()} needs an embedder, and this service has none (Rag:Models:Embedder:Path); use lexical."];
    }

    [LoggerMessage(EventId = ApiLogEvents.StreamFailed, Level = LogLevel.Error, Message = "A streamed answer failed after the response had started")]
    private static partial void LogStreamFailed(ILogger logger, Exception exception);

    /// <summary>A piece of a streamed answer.</summary>
    public sealed record AnswerToken(string Text);
}

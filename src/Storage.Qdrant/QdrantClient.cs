using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Rag.Storage.Qdrant;

/// <summary>
/// A small typed client for Qdrant's REST API (1.19; the official .NET package is not on our
/// mirror). Request bodies follow the OpenAPI schema in shared/qdrant — tests validate every body
/// this client sends against it. Sends <c>api-key</c> when configured; writes wait until applied.
/// Retries live in the HTTP pipeline <see cref="Create"/> builds (Microsoft.Extensions.Http.Resilience):
/// 429 after Retry-After, 502/503/504 and lost connections with exponential backoff, each attempt under
/// its own timeout.
/// </summary>
public sealed class QdrantClient
{
    private readonly HttpClient _http;

    /// <param name="http">An HttpClient whose BaseAddress is the Qdrant REST endpoint; it retries if its handlers do.</param>
    /// <param name="apiKey">Sent as the <c>api-key</c> header when not empty.</param>
    public QdrantClient(HttpClient http, string? apiKey)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        if (!string.IsNullOrEmpty(apiKey))
            _http.DefaultRequestHeaders.Add("api-key", apiKey);
    }

    /// <summary>A client for <paramref name="url"/> over the retrying pipeline.</summary>
    /// <param name="url">The REST endpoint.</param>
    /// <param name="apiKey">Sent as the <c>api-key</c> header when not empty.</param>
    /// <param name="maxAttempts">Attempts per request for retryable failures.</param>
    /// <param name="attemptTimeout">How long one attempt may take.</param>
    /// <param name="baseDelay">First backoff delay (doubled per attempt, up to 10 s); default 200 ms.</param>
    public static QdrantClient Create(Uri url, string? apiKey, int maxAttempts = 5, TimeSpan? attemptTimeout = null, TimeSpan? baseDelay = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (maxAttempts > 1)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = maxAttempts - 1,
                Delay = baseDelay ?? TimeSpan.FromMilliseconds(200),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                MaxDelay = TimeSpan.FromSeconds(10),
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: HttpRequestException or TimeoutRejectedException } => true,
                    { Result: { } response } => IsRetryable(response.StatusCode),
                    _ => false,
                }),
            });
        }

        pipeline.AddTimeout(attemptTimeout ?? TimeSpan.FromSeconds(30));
        var handler = new ResilienceHandler(pipeline.Build())
        {
            // Connections are renewed now and then, so a Qdrant behind changing DNS is found again.
            InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) },
        };
        return new QdrantClient(new HttpClient(handler) { BaseAddress = url, Timeout = Timeout.InfiniteTimeSpan }, apiKey);
    }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Names of every collection.</summary>
    public async Task<IReadOnlyList<string>> ListCollectionsAsync(CancellationToken cancellationToken)
    {
        var result = await SendAsync(HttpMethod.Get, "collections", null, cancellationToken);
        return [.. result!["collections"]!.AsArray().Select(c => c!["name"]!.GetValue<string>())];
    }

    /// <summary>Whether the collection exists.</summary>
    public async Task<bool> CollectionExistsAsync(string collection, CancellationToken cancellationToken)
    {
        var result = await SendAsync(HttpMethod.Get, $"collections/{Escape(collection)}/exists", null, cancellationToken);
        return result!["exists"]!.GetValue<bool>();
    }

    /// <summary>Creates a collection with the named dense vectors; true if created, false if it already existed.</summary>
    public async Task<bool> CreateCollectionAsync(string collection, IReadOnlyDictionary<string, VectorParams> vectors, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["vectors"] = JsonSerializer.SerializeToNode(vectors, Json) };
        try
        {
            await SendAsync(HttpMethod.Put, $"collections/{Escape(collection)}", body, cancellationToken);
            return true;
        }
        catch (QdrantException e) when (e.StatusCode is HttpStatusCode.Conflict || (e.StatusCode is HttpStatusCode.BadRequest && e.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase)))
        {
            // Another process created it first.
            return false;
        }
    }

    /// <summary>Indexes a payload field (<c>keyword</c>, <c>integer</c>, …) for filtering.</summary>
    public Task CreatePayloadIndexAsync(string collection, string field, string schema, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"collections/{Escape(collection)}/index?wait=true",
            new JsonObject { ["field_name"] = field, ["field_schema"] = schema }, cancellationToken);

    /// <summary>Inserts or overwrites points (by id) and returns once they are applied.</summary>
    public Task UpsertAsync(string collection, IReadOnlyList<QdrantPoint> points, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(points);
        var body = new JsonObject
        {
            ["points"] = new JsonArray([.. points.Select(p => (JsonNode)new JsonObject
            {
                ["id"] = p.Id.ToString("D"),
                ["vector"] = VectorsOf(p),
                ["payload"] = p.Payload.DeepClone(),
            })]),
        };
        return SendAsync(HttpMethod.Put, $"collections/{Escape(collection)}/points?wait=true", body, cancellationToken);
    }

    /// <summary>The <paramref name="limit"/> points nearest to <paramref name="vector"/> in the named vector space, best first.</summary>
    public Task<IReadOnlyList<ScoredPoint>> QueryAsync(
        string collection, string vectorName, ReadOnlyMemory<float> vector, JsonObject? filter, int limit, IReadOnlyList<string> payloadFields, CancellationToken cancellationToken) =>
        QueryAsync(collection, vectorName, Floats(vector.ToArray()), filter, limit, payloadFields, cancellationToken);

    /// <summary>
    /// The <paramref name="limit"/> points nearest to the multivector <paramref name="vectors"/> in a multivector space
    /// (max-sim: for each query vector its best match among the point's vectors, summed), best first.
    /// </summary>
    public Task<IReadOnlyList<ScoredPoint>> QueryMultiAsync(
        string collection, string vectorName, IReadOnlyList<float[]> vectors, JsonObject? filter, int limit, IReadOnlyList<string> payloadFields, CancellationToken cancellationToken) =>
        QueryAsync(collection, vectorName, new JsonArray([.. vectors.Select(v => (JsonNode)Floats(v))]), filter, limit, payloadFields, cancellationToken);

    private async Task<IReadOnlyList<ScoredPoint>> QueryAsync(
        string collection, string vectorName, JsonArray query, JsonObject? filter, int limit, IReadOnlyList<string> payloadFields, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["query"] = query,
            ["using"] = vectorName,
            ["limit"] = limit,
            ["with_payload"] = new JsonArray([.. payloadFields.Select(f => (JsonNode)JsonValue.Create(f))]),
            ["with_vector"] = false,
        };
        if (filter is not null)
            body["filter"] = filter.DeepClone();
        var result = await SendAsync(HttpMethod.Post, $"collections/{Escape(collection)}/points/query", body, cancellationToken);
        return [.. result!["points"]!.AsArray().Select(p => new ScoredPoint(
            p!["id"]!.ToString(), p["score"]!.GetValue<float>(), p["payload"] as JsonObject ?? []))];
    }

    /// <summary>Points by id, with the named payload fields (and the named vectors, when given); missing ids are left out.</summary>
    public async Task<IReadOnlyList<ScoredPoint>> RetrieveAsync(
        string collection, IReadOnlyList<Guid> ids, IReadOnlyList<string> payloadFields, CancellationToken cancellationToken, IReadOnlyList<string>? vectorNames = null)
    {
        var body = new JsonObject
        {
            ["ids"] = new JsonArray([.. ids.Select(id => (JsonNode)JsonValue.Create(id.ToString("D")))]),
            ["with_payload"] = new JsonArray([.. payloadFields.Select(f => (JsonNode)JsonValue.Create(f))]),
            ["with_vector"] = vectorNames is null ? false : new JsonArray([.. vectorNames.Select(n => (JsonNode)JsonValue.Create(n))]),
        };
        var result = await SendAsync(HttpMethod.Post, $"collections/{Escape(collection)}/points", body, cancellationToken);
        return [.. result!.AsArray().Select(p => new ScoredPoint(p!["id"]!.ToString(), 0, p["payload"] as JsonObject ?? [], p["vector"] as JsonObject))];
    }

    /// <summary>Deletes every point the filter matches and returns once applied.</summary>
    public Task DeleteAsync(string collection, JsonObject filter, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"collections/{Escape(collection)}/points/delete?wait=true",
            new JsonObject { ["filter"] = filter.DeepClone() }, cancellationToken);

    /// <summary>The exact number of points the filter matches.</summary>
    public async Task<long> CountAsync(string collection, JsonObject filter, CancellationToken cancellationToken)
    {
        var result = await SendAsync(HttpMethod.Post, $"collections/{Escape(collection)}/points/count",
            new JsonObject { ["filter"] = filter.DeepClone(), ["exact"] = true }, cancellationToken);
        return result!["count"]!.GetValue<long>();
    }

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await _http.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            var envelope = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
            return envelope?["result"];
        }

        throw new QdrantException(response.StatusCode, $"Qdrant answered {(int)response.StatusCode} to {method} /{path.Split('?')[0]}: {await ErrorAsync(response, cancellationToken)}");
    }

    private static bool IsRetryable(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout;

    /// <summary>Qdrant's error text: <c>{"status": {"error": "..."}}</c>, or plain text (auth failures).</summary>
    private static async Task<string> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            try
            {
                if (JsonNode.Parse(text)?["status"]?["error"] is JsonValue error)
                    return error.GetValue<string>();
            }
            catch (JsonException)
            {
                // Not the documented shape: fall back to the raw text.
            }
        }

        return string.IsNullOrWhiteSpace(text) ? response.ReasonPhrase ?? "no details" : text.Trim();
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static JsonArray Floats(float[] vector) => new([.. vector.Select(v => (JsonNode)JsonValue.Create(v))]);

    private static JsonObject VectorsOf(QdrantPoint point)
    {
        var vectors = new JsonObject();
        foreach (var (name, vector) in point.Vectors)
            vectors[name] = Floats(vector);
        foreach (var (name, rows) in point.MultiVectors ?? new Dictionary<string, float[][]>())
            vectors[name] = new JsonArray([.. rows.Select(r => (JsonNode)Floats(r))]);
        return vectors;
    }
}

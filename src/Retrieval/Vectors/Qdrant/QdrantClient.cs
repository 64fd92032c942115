using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rag.Retrieval.Vectors.Qdrant;

/// <summary>
/// A small typed client for Qdrant's REST API (1.19; the official .NET package is not on our
/// mirror). Request bodies follow the OpenAPI schema in shared/qdrant — tests validate every body
/// this client sends against it. Sends <c>api-key</c> when configured; retries 429 (after
/// Retry-After), 502/503/504 and lost connections with exponential backoff; writes wait until applied.
/// </summary>
public sealed class QdrantClient
{
    private readonly HttpClient _http;
    private readonly int _maxAttempts;
    private readonly TimeSpan _baseDelay;

    /// <param name="http">An HttpClient whose BaseAddress is the Qdrant REST endpoint.</param>
    /// <param name="apiKey">Sent as the <c>api-key</c> header when not empty.</param>
    /// <param name="maxAttempts">Attempts per request for retryable failures.</param>
    /// <param name="baseDelay">First backoff delay (doubled per attempt, up to 10 s); default 200 ms.</param>
    public QdrantClient(HttpClient http, string? apiKey, int maxAttempts = 5, TimeSpan? baseDelay = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        _http = http;
        _maxAttempts = maxAttempts;
        _baseDelay = baseDelay ?? TimeSpan.FromMilliseconds(200);
        if (!string.IsNullOrEmpty(apiKey))
            _http.DefaultRequestHeaders.Add("api-key", apiKey);
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
        var payload = body?.ToJsonString();
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, path);
            if (payload is not null)
                request.Content = new StringContent(payload, System.Text.Encoding.UTF8, "application/json");
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, cancellationToken);
            }
            catch (Exception e) when (attempt < _maxAttempts && !cancellationToken.IsCancellationRequested && e is HttpRequestException or TaskCanceledException)
            {
                // No answer (connection refused or reset, or the per-request timeout): try again.
                await Task.Delay(Backoff(attempt), cancellationToken);
                continue;
            }

            using (response)
            {
                if (response.IsSuccessStatusCode)
                {
                    var envelope = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
                    return envelope?["result"];
                }

                if (attempt < _maxAttempts && IsRetryable(response.StatusCode))
                {
                    await Task.Delay(RetryAfter(response) ?? Backoff(attempt), cancellationToken);
                    continue;
                }

                throw new QdrantException(response.StatusCode, $"Qdrant answered {(int)response.StatusCode} to {method} /{path.Split('?')[0]}: {await ErrorAsync(response, cancellationToken)}");
            }
        }
    }

    private static bool IsRetryable(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout;

    private TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(10_000, _baseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1)));

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
            return delta < TimeSpan.FromSeconds(60) ? delta : TimeSpan.FromSeconds(60);
        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait < TimeSpan.FromSeconds(60) ? wait : TimeSpan.FromSeconds(60);
        }

        return null;
    }

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

/// <summary>A dense vector space of a collection; with <paramref name="MultivectorConfig"/>, each point holds several vectors.</summary>
public sealed record VectorParams(int Size, string Distance = "Cosine", MultiVectorConfig? MultivectorConfig = null);

/// <summary>How a multivector point is compared with a query (<c>max_sim</c>, the only comparator Qdrant has).</summary>
public sealed record MultiVectorConfig(string Comparator = "max_sim");

/// <summary>A point to write: id, named vectors (and named multivectors), payload.</summary>
public sealed record QdrantPoint(Guid Id, IReadOnlyDictionary<string, float[]> Vectors, JsonObject Payload, IReadOnlyDictionary<string, float[][]>? MultiVectors = null);

/// <summary>A point read back, with its score when it came from a query and its named vectors when asked for.</summary>
public sealed record ScoredPoint(string Id, float Score, JsonObject Payload, JsonObject? Vectors = null);

/// <summary>Qdrant refused a request (after retries where the failure was transient).</summary>
public sealed class QdrantException(HttpStatusCode statusCode, string message) : Exception(message)
{
    public HttpStatusCode StatusCode { get; } = statusCode;
}

/// <summary>Builders for Qdrant filters (the <c>Filter</c> and <c>FieldCondition</c> schemas).</summary>
public static class QdrantFilter
{
    public static JsonObject Match(string key, string value) =>
        new() { ["key"] = key, ["match"] = new JsonObject { ["value"] = value } };

    public static JsonObject Equal(string key, long value) =>
        new() { ["key"] = key, ["match"] = new JsonObject { ["value"] = value } };

    public static JsonObject AtLeast(string key, long value) =>
        new() { ["key"] = key, ["range"] = new JsonObject { ["gte"] = value } };

    public static JsonObject All(params IEnumerable<JsonNode> conditions) => new() { ["must"] = new JsonArray([.. conditions]) };

    public static JsonObject Any(params IEnumerable<JsonNode> conditions) => new() { ["should"] = new JsonArray([.. conditions]) };

    public static JsonObject None(params IEnumerable<JsonNode> conditions) => new() { ["must_not"] = new JsonArray([.. conditions]) };

    /// <summary>All of <paramref name="must"/> and at least one of <paramref name="should"/>.</summary>
    public static JsonObject AllAndAny(IEnumerable<JsonNode> must, IEnumerable<JsonNode> should) =>
        new() { ["must"] = new JsonArray([.. must]), ["should"] = new JsonArray([.. should]) };
}

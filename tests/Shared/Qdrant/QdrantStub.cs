using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Rag.Tests.Shared.Qdrant;

/// <summary>
/// A stand-in for a Qdrant server on loopback (there is none on these machines). It checks every
/// request body against Qdrant's OpenAPI schema and every answer it gives against the schema's
/// response shape, recording violations; it keeps points in memory and implements what our client
/// uses — collections, payload-indexed filters (match, range, nested), cosine queries (max-sim for
/// multivector spaces), counts, deletes, reads by id with or without vectors — and can answer 429/503
/// or demand an api-key, to exercise the client.
/// </summary>
internal sealed class QdrantStub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, StubCollection> _collections = new();
    private readonly ConcurrentQueue<int> _failures = new();

    private QdrantStub(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    /// <summary>Schema violations seen, in requests and in the stub's own answers.</summary>
    public ConcurrentQueue<string> Violations { get; } = new();

    /// <summary>Every request as "METHOD /path".</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>When set, requests without this <c>api-key</c> header get 401 in plain text, as Qdrant answers.</summary>
    public string? ApiKey { get; set; }

    public static async Task<QdrantStub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var stub = new QdrantStub(app);
        app.Run(stub.HandleAsync);
        await app.StartAsync();
        stub.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return stub;
    }

    /// <summary>The next requests answer these statuses (429 with Retry-After: 0, or 503) before being served.</summary>
    public void FailNext(params int[] statuses)
    {
        foreach (var status in statuses)
            _failures.Enqueue(status);
    }

    public int PointCount(string collection) => _collections.TryGetValue(collection, out var c) ? c.Points.Count : 0;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var method = context.Request.Method;
        var path = context.Request.Path.Value!;
        Requests.Enqueue($"{method} {path}");
        var body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync();

        if (ApiKey is not null && context.Request.Headers["api-key"] != ApiKey)
        {
            context.Response.StatusCode = 401;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("Must provide an API key or an Authorization bearer token");
            return;
        }

        if (_failures.TryDequeue(out var failure))
        {
            context.Response.StatusCode = failure;
            if (failure == 429)
                context.Response.Headers.RetryAfter = "0";
            await WriteErrorAsync(context, failure, "stub: transient failure");
            return;
        }

        var operation = QdrantContract.Operation(method, path);
        if (operation is null)
        {
            Violations.Enqueue($"{method} {path}: no such operation in Qdrant 1.19");
            await WriteErrorAsync(context, 404, "no such operation");
            return;
        }

        foreach (var violation in QdrantContract.ValidateRequest(operation, body))
            Violations.Enqueue($"{method} {path} request: {violation}");

        var segments = path.Trim('/').Split('/');
        var request = string.IsNullOrEmpty(body) ? null : JsonNode.Parse(body) as JsonObject;
        JsonNode? result;
        try
        {
            result = Handle(method, segments, request);
        }
        catch (StubError e)
        {
            await WriteErrorAsync(context, e.Status, e.Message);
            return;
        }

        var envelope = new JsonObject { ["result"] = result, ["status"] = "ok", ["time"] = 0.001 }.ToJsonString();
        foreach (var violation in QdrantContract.ValidateResponse(operation, envelope))
            Violations.Enqueue($"{method} {path} stub answer: {violation}");
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(envelope);
    }

    private JsonNode? Handle(string method, string[] segments, JsonObject? request)
    {
        if (segments is ["collections"] && method == "GET")
            return new JsonObject { ["collections"] = new JsonArray([.. _collections.Keys.Order().Select(n => (JsonNode)new JsonObject { ["name"] = n })]) };
        var name = segments[1];
        switch (segments[2..])
        {
            case ["exists"]:
                return new JsonObject { ["exists"] = _collections.ContainsKey(name) };
            case [] when method == "PUT":
                if (!_collections.TryAdd(name, new StubCollection(request!["vectors"]!.AsObject())))
                    throw new StubError(409, $"Wrong input: Collection `{name}` already exists!");
                return true;
        }

        var collection = _collections.TryGetValue(name, out var found) ? found : throw new StubError(404, $"Not found: Collection `{name}` doesn't exist!");
        switch (segments[2..])
        {
            case ["index"]:
                return Updated();
            case ["points"] when method == "PUT":
                foreach (var point in request!["points"]!.AsArray())
                {
                    var vectors = point!["vector"]!.AsObject().ToDictionary(v => v.Key, v => Rows(v.Value!.AsArray()));
                    foreach (var (vectorName, rows) in vectors)
                    {
                        if (rows.Length == 0 || (rows.Length > 1 && !collection.Multi.Contains(vectorName)))
                            throw new StubError(400, $"Wrong input: vector `{vectorName}` is not a multivector");
                        foreach (var vector in rows.Where(r => collection.Sizes.GetValueOrDefault(vectorName) != r.Length))
                            throw new StubError(400, $"Wrong input: Vector dimension error: expected dim: {collection.Sizes.GetValueOrDefault(vectorName)}, got {vector.Length}");
                    }

                    collection.Points[point["id"]!.GetValue<string>()] = (vectors, point["payload"]!.AsObject());
                }

                return Updated();
            case ["points"]:
                return new JsonArray([.. request!["ids"]!.AsArray()
                    .Select(id => id!.GetValue<string>())
                    .Where(collection.Points.ContainsKey)
                    .Select(id => (JsonNode)new JsonObject
                    {
                        ["id"] = id,
                        ["payload"] = Select(collection.Points[id].Payload, request["with_payload"]),
                        ["vector"] = VectorsOf(collection, collection.Points[id].Vectors, request["with_vector"]),
                    })]);
            case ["points", "query"]:
                var query = Rows(request!["query"]!.AsArray());
                var vectorName2 = request["using"]!.GetValue<string>();
                if (query.Length > 1 && !collection.Multi.Contains(vectorName2))
                    throw new StubError(400, $"Wrong input: vector `{vectorName2}` is not a multivector");
                var filter = request["filter"] as JsonObject;
                var hits = collection.Points
                    .Where(p => Matches(p.Value.Payload, filter))
                    // max-sim: each query vector's best match among the point's vectors, summed (one row: plain cosine).
                    .Select(p => (Id: p.Key, p.Value.Payload, Score: query.Sum(q => p.Value.Vectors[vectorName2].Max(v => Cosine(q, v)))))
                    .OrderByDescending(p => p.Score)
                    .Take(request["limit"]?.GetValue<int>() ?? 10);
                return new JsonObject
                {
                    ["points"] = new JsonArray([.. hits.Select(h => (JsonNode)new JsonObject
                    {
                        ["id"] = h.Id, ["version"] = 0, ["score"] = h.Score, ["payload"] = Select(h.Payload, request["with_payload"]),
                    })]),
                };
            case ["points", "delete"]:
                foreach (var id in collection.Points.Where(p => Matches(p.Value.Payload, request!["filter"]!.AsObject())).Select(p => p.Key).ToList())
                    collection.Points.TryRemove(id, out _);
                return Updated();
            case ["points", "count"]:
                return new JsonObject { ["count"] = collection.Points.Count(p => Matches(p.Value.Payload, request!["filter"] as JsonObject)) };
            default:
                throw new StubError(404, "stub: not implemented");
        }
    }

    private static JsonObject Updated() => new() { ["operation_id"] = 1, ["status"] = "completed" };

    /// <summary>A vector (array of numbers) as one row, or a multivector (array of arrays) as its rows.</summary>
    private static float[][] Rows(JsonArray array) => array.Count > 0 && array[0] is JsonArray
        ? [.. array.Select(r => r!.AsArray().Select(x => x!.GetValue<float>()).ToArray())]
        : [[.. array.Select(x => x!.GetValue<float>())]];

    private static JsonNode? VectorsOf(StubCollection collection, Dictionary<string, float[][]> vectors, JsonNode? withVector)
    {
        if (withVector is not JsonArray names)
            return withVector is JsonValue all && all.GetValue<bool>() ? VectorsOf(collection, vectors, new JsonArray([.. vectors.Keys.Select(k => (JsonNode)k)])) : null;
        var result = new JsonObject();
        foreach (var name in names.Select(n => n!.GetValue<string>()).Where(vectors.ContainsKey))
        {
            JsonArray Row(float[] row) => new([.. row.Select(x => (JsonNode)x)]);
            result[name] = collection.Multi.Contains(name) ? new JsonArray([.. vectors[name].Select(r => (JsonNode)Row(r))]) : Row(vectors[name][0]);
        }

        return result;
    }

    private static JsonObject Select(JsonObject payload, JsonNode? fields) => fields is JsonArray names
        ? new JsonObject([.. names.Select(n => n!.GetValue<string>()).Where(payload.ContainsKey).Select(n => KeyValuePair.Create<string, JsonNode?>(n, payload[n]!.DeepClone()))])
        : (JsonObject)payload.DeepClone();

    private static float Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return (float)(dot / (Math.Sqrt(na) * Math.Sqrt(nb) + 1e-12));
    }

    private static bool Matches(JsonObject payload, JsonObject? filter)
    {
        if (filter is null)
            return true;
        var must = Conditions(filter["must"]);
        var should = Conditions(filter["should"]);
        var mustNot = Conditions(filter["must_not"]);
        return must.All(c => Holds(payload, c)) && (should.Count == 0 || should.Any(c => Holds(payload, c))) && !mustNot.Any(c => Holds(payload, c));
    }

    private static List<JsonObject> Conditions(JsonNode? node) => node switch
    {
        null => [],
        JsonArray array => [.. array.Select(c => c!.AsObject())],
        JsonObject single => [single],
        _ => throw new StubError(400, "bad condition"),
    };

    private static bool Holds(JsonObject payload, JsonObject condition)
    {
        if (!condition.ContainsKey("key"))
            return Matches(payload, condition); // a nested filter
        var values = payload[condition["key"]!.GetValue<string>()] switch
        {
            null => [],
            JsonArray array => array.Select(v => v!).ToList(),
            JsonNode value => [value],
        };
        if (condition["match"]?["value"] is JsonNode wanted)
            return values.Any(v => v.ToJsonString() == wanted.ToJsonString());
        if (condition["range"] is JsonObject range)
            return values.Any(v => v.GetValue<double>() is var x && (range["gte"] is not JsonNode gte || x >= gte.GetValue<double>()));
        throw new StubError(400, "stub: unsupported condition " + condition.ToJsonString());
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject { ["status"] = new JsonObject { ["error"] = message }, ["time"] = 0.0 }.ToJsonString());
    }

    private sealed class StubCollection(JsonObject vectors)
    {
        public Dictionary<string, int> Sizes { get; } = vectors.ToDictionary(v => v.Key, v => v.Value!["size"]!.GetValue<int>());

        /// <summary>Vector names configured as multivectors (<c>multivector_config</c>).</summary>
        public HashSet<string> Multi { get; } = [.. vectors.Where(v => v.Value!["multivector_config"] is JsonObject).Select(v => v.Key)];

        /// <summary>Each point's vectors by name, one row per vector (several for a multivector).</summary>
        public ConcurrentDictionary<string, (Dictionary<string, float[][]> Vectors, JsonObject Payload)> Points { get; } = new();
    }

    private sealed class StubError(int status, string message) : Exception(message)
    {
        public int Status { get; } = status;
    }
}

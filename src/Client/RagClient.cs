using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Rag.Client;

/// <summary>
/// A typed client for a running Rag service's HTTP API. Give it an <see cref="HttpClient"/> whose
/// BaseAddress is the service (e.g. <c>http://rag:8080/</c>) and, when the service has API keys, the key.
/// Errors are <see cref="RagApiException"/> carrying the service's problem details.
/// </summary>
public sealed class RagClient
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private readonly HttpClient _http;

    /// <summary>A client over <paramref name="http"/>, whose BaseAddress is the service; <paramref name="apiKey"/> is sent as a bearer token when given.</summary>
    public RagClient(HttpClient http, string? apiKey = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        if (!string.IsNullOrEmpty(apiKey))
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
    }

    /// <summary>The service's address (the HttpClient's BaseAddress).</summary>
    public Uri? BaseAddress => _http.BaseAddress;

    /// <summary>Answers a question from a collection, with citations.</summary>
    public Task<RagAnswer> AskAsync(string collection, RagAskRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<RagAnswer>($"v1/collections/{Escape(collection)}/ask", request, cancellationToken);

    /// <summary>The chunks of a collection best matching a query.</summary>
    public Task<RagSearchResponse> SearchAsync(string collection, RagSearchRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<RagSearchResponse>($"v1/collections/{Escape(collection)}/search", request, cancellationToken);

    /// <summary>Compresses a prompt to a budget (<c>POST /v1/compress</c>).</summary>
    public Task<RagCompressResponse> CompressAsync(RagCompressRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<RagCompressResponse>("v1/compress", request, cancellationToken);

    /// <summary>Stores a text document and queues its ingestion; returns its status (state <c>queued</c>, or as it is when the same bytes were there).</summary>
    public Task<RagDocument> IngestTextAsync(string collection, RagTextDocument document, CancellationToken cancellationToken = default) =>
        PostAsync<RagDocument>($"v1/collections/{Escape(collection)}/documents", document, cancellationToken);

    /// <summary>
    /// Stores many text documents in one request (JSON lines to <c>documents:batch</c>) and queues their ingestion;
    /// one bad document is refused on its own, the rest are stored. Returns one entry per document, in order.
    /// </summary>
    public async Task<RagBatchResult> IngestManyAsync(string collection, IEnumerable<RagTextDocument> documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var lines = new StringBuilder();
        foreach (var document in documents)
            lines.Append(JsonSerializer.Serialize(document, Json)).Append('\n');
        using var content = new StringContent(lines.ToString(), Encoding.UTF8, "application/x-ndjson");
        using var response = await _http.PostAsync($"v1/collections/{Escape(collection)}/documents:batch", content, cancellationToken);
        return await ReadAsync<RagBatchResult>(response, cancellationToken);
    }

    /// <summary>Where a batch upload's documents are (<see cref="RagBatchResult.BatchId"/>).</summary>
    public async Task<RagBatch> GetBatchAsync(string collection, string batchId, CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync($"v1/collections/{Escape(collection)}/batches/{Escape(batchId)}", cancellationToken);
        return await ReadAsync<RagBatch>(response, cancellationToken);
    }

    /// <summary>Cancels a batch upload: its documents not yet ready or failed are deleted; finished ones stay.</summary>
    public async Task<RagBatchCancel> CancelBatchAsync(string collection, string batchId, CancellationToken cancellationToken = default)
    {
        using var response = await _http.PostAsync($"v1/collections/{Escape(collection)}/batches/{Escape(batchId)}:cancel", null, cancellationToken);
        return await ReadAsync<RagBatchCancel>(response, cancellationToken);
    }

    /// <summary>A document and where its ingestion stands.</summary>
    public async Task<RagDocument> GetDocumentAsync(string collection, string id, CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync($"v1/collections/{Escape(collection)}/documents/{Escape(id)}", cancellationToken);
        return await ReadAsync<RagDocument>(response, cancellationToken);
    }

    /// <summary>Polls the document until its ingestion has ended (ready or failed).</summary>
    public async Task<RagDocument> WaitUntilFinalAsync(string collection, string id, TimeSpan? pollInterval = null, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var document = await GetDocumentAsync(collection, id, cancellationToken);
            if (document.State is "ready" or "failed")
                return document;
            await Task.Delay(pollInterval ?? TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    private async Task<T> PostAsync<T>(string path, object body, CancellationToken cancellationToken)
    {
        using var content = JsonContent.Create(body, body.GetType(), options: Json);
        using var response = await _http.PostAsync(path, content, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
            return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonObject? problem = null;
        try
        {
            problem = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            // Not problem details (a proxy's page, say): the raw text goes in the message.
        }

        throw new RagApiException(response.StatusCode, problem, text);
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);
}

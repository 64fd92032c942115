using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rag.Tests.Shared;

namespace Rag.Api.Tests;

internal static class ApiClientExtensions
{
    public static async Task<HttpResponseMessage> UploadFileAsync(this HttpClient client, string collection, string fileName, byte[] content, string? tags = null, string? mediaType = null)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType ?? "application/octet-stream");
        form.Add(file, "file", fileName);
        if (tags is not null)
            form.Add(new StringContent(tags), "tags");
        return await client.PostAsync($"/v1/collections/{collection}/documents", form);
    }

    public static Task<HttpResponseMessage> UploadTextAsync(this HttpClient client, string collection, object body) =>
        client.PostAsJsonAsync($"/v1/collections/{collection}/documents", body);

    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new InvalidOperationException("Empty JSON body.");
    }

    public static async Task<JsonNode> ExpectAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>Uploads and waits until the document's ingestion has ended; returns its final status.</summary>
    public static async Task<JsonNode> IngestAsync(this HttpClient client, string collection, string fileName, byte[] content, string? tags = null)
    {
        var accepted = await (await client.UploadFileAsync(collection, fileName, content, tags)).JsonAsync();
        return await client.WaitUntilFinalAsync(accepted["status_url"]!.GetValue<string>());
    }

    public static async Task<JsonNode> WaitUntilFinalAsync(this HttpClient client, string statusUrl, int timeoutSeconds = 60)
    {
        return await Eventually.ValueAsync(async () => await (await client.GetAsync(statusUrl)).ExpectAsync(HttpStatusCode.OK),
            status => status["state"]!.GetValue<string>() is "ready" or "failed", $"{statusUrl} to be ready or failed", TimeSpan.FromSeconds(timeoutSeconds));
    }

    public static async Task<JsonNode> PostJsonAsync(this HttpClient client, string url, object body, HttpStatusCode expected = HttpStatusCode.OK) =>
        await (await client.PostAsJsonAsync(url, body)).ExpectAsync(expected);

    public static string Text(this JsonNode? node) => node!.GetValue<string>();

    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
}

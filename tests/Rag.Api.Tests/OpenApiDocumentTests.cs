using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Rag.Api.Tests;

/// <summary>The OpenAPI document says what each endpoint refuses and shows examples the service really accepts.</summary>
[Collection(ServiceCollection.Name)]
public sealed class OpenApiDocumentTests(ServiceFixture service)
{
    private async Task<JsonNode> DocumentAsync()
    {
        using var client = service.Server.Client(null);
        return await (await client.GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);
    }

    private static IEnumerable<(string Method, string Path, JsonObject Operation)> Operations(JsonNode document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(op => op.Value is JsonObject o && o.ContainsKey("responses"))
            .Select(op => (op.Key.ToUpperInvariant(), path.Key, op.Value!.AsObject())));

    private static ISet<string> Statuses(JsonObject operation) => operation["responses"]!.AsObject().Select(r => r.Key).ToHashSet();

    [Fact]
    public async Task Every_endpoint_documents_its_refusals_as_problem_details_with_their_meaning()
    {
        var document = await DocumentAsync();
        var rag = Operations(document).Where(o => o.Path.StartsWith("/v1/", StringComparison.Ordinal)
            && o.Operation["tags"]![0]!.GetValue<string>() != "OpenAI-compatible").ToList();
        Assert.True(rag.Count >= 10, $"only {rag.Count} operations");
        foreach (var (method, path, operation) in rag)
        {
            var statuses = Statuses(operation);
            var name = $"{method} {path}";
            Assert.Contains("401", statuses);
            var unauthorized = operation["responses"]!["401"]!;
            Assert.NotNull(unauthorized["content"]!["application/problem+json"]);
            Assert.StartsWith("No API key", unauthorized["description"]!.GetValue<string>(), StringComparison.Ordinal);
            if (path.Contains("{collection}", StringComparison.Ordinal))
            {
                Assert.True(statuses.IsSupersetOf(["400", "403"]), $"{name}: {string.Join(",", statuses)}");
                // Uploads create the collection: only they cannot answer 404.
                var upload = method == "POST" && (path.EndsWith("/documents", StringComparison.Ordinal) || path.EndsWith("/documents:batch", StringComparison.Ordinal));
                Assert.True(statuses.Contains("404") || upload, $"{name} does not document 404");
            }

            if (operation.ContainsKey("requestBody"))
                Assert.True(statuses.Contains("413"), $"{name} does not document 413");
        }

        foreach (var path in new[] { "/v1/collections/{collection}/ask", "/v1/compress" })
            Assert.Contains("429", Statuses(document["paths"]![path]!["post"]!.AsObject()));
        var chat = document["paths"]!["/v1/chat/completions"]!["post"]!.AsObject();
        Assert.True(Statuses(chat).IsSupersetOf(["400", "401", "429"]));
        Assert.NotNull(chat["responses"]!["401"]!["content"]!["application/json"]);
    }

    [Fact]
    public async Task The_examples_in_the_document_are_requests_the_service_accepts()
    {
        var document = await DocumentAsync();
        var examples = Operations(document)
            .Select(o => (o.Method, o.Path, o.Operation, Example: o.Operation["requestBody"]?["content"]?["application/json"]?["example"]))
            .Where(o => o.Example is not null)
            .ToDictionary(o => o.Operation["operationId"]!.GetValue<string>());
        Assert.True(examples.Keys.ToHashSet().IsSupersetOf(["UploadDocument", "Search", "Ask", "Compress", "CreateChatCompletion"]), string.Join(",", examples.Keys));

        using var client = service.Admin();
        async Task<HttpResponseMessage> SendAsync(string id)
        {
            var (_, path, _, example) = examples[id];
            return await client.PostAsync(path.Replace("{collection}", "openapi-examples", StringComparison.Ordinal),
                new StringContent(example!.ToJsonString(), Encoding.UTF8, "application/json"));
        }

        var uploaded = await (await SendAsync("UploadDocument")).Content.ReadAsStringAsync();
        await client.WaitUntilFinalAsync(JsonNode.Parse(uploaded)!["status_url"].Text());
        foreach (var id in new[] { "Search", "Ask", "Compress" })
        {
            var response = await SendAsync(id);
            Assert.True(response.IsSuccessStatusCode, $"{id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        // This service has no generator and no upstream: the chat example gets a refusal the document lists.
        var chat = await SendAsync("CreateChatCompletion");
        Assert.Contains(((int)chat.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), Statuses(examples["CreateChatCompletion"].Operation));
    }
}

using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rag.Client;
using Rag.Compression.Methods;

namespace Rag.Api.Tests;

/// <summary>
/// Rag.Client's request records are held to the service's own OpenAPI document: every field the client
/// sends exists on the endpoint, and every field the endpoint takes is in the client (or listed here with
/// the reason it is not). A field added on one side and not the other fails here.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class ClientContractTests(ServiceFixture service)
{
    /// <summary>Fields the service takes that the client leaves out on purpose.</summary>
    private static readonly Dictionary<string, string[]> NotInClient = new()
    {
        ["AskRequest"] = ["stream"], // the client reads whole answers
    };

    [Theory]
    [InlineData(typeof(RagAskRequest), "AskRequest")]
    [InlineData(typeof(RagAskCompression), "AskCompressionRequest")]
    [InlineData(typeof(RagSearchRequest), "SearchRequest")]
    [InlineData(typeof(RagCompressRequest), "CompressRequest")]
    [InlineData(typeof(RagProtectedSpan), "ProtectedSpan")]
    [InlineData(typeof(RagTextDocument), "TextDocumentRequest")]
    [InlineData(typeof(RagBatchResult), "BatchUploadResponse")]
    [InlineData(typeof(RagBatchItem), "BatchUploadItem")]
    [InlineData(typeof(RagBatchError), "BatchUploadError")]
    [InlineData(typeof(RagBatch), "BatchResponse")]
    [InlineData(typeof(RagBatchCancel), "BatchCancelResponse")]
    public async Task A_client_request_has_exactly_the_fields_of_the_service_request(Type clientType, string schemaName)
    {
        var schemas = (await OpenApiAsync())["components"]!["schemas"]!;
        var schema = schemas[schemaName] ?? throw new InvalidOperationException($"The OpenAPI document has no schema {schemaName}.");
        var serviceFields = schema["properties"]!.AsObject().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var clientFields = clientType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.Name != "EqualityContract")
            .Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Empty(clientFields.Except(serviceFields));
        Assert.Empty(serviceFields.Except(clientFields).Except(NotInClient.GetValueOrDefault(schemaName) ?? []));
    }

    [Fact]
    public async Task The_api_reference_lists_the_registered_compression_methods_with_their_summaries()
    {
        var method = (await OpenApiAsync())["components"]!["schemas"]!["CompressRequest"]!["properties"]!["method"]!;
        var described = Resolve(await OpenApiAsync(), method);

        Assert.Equal(CompressionMethods.Names, described["enum"]!.AsArray().Where(v => v is not null).Select(v => v!.GetValue<string>()));
        foreach (var registered in CompressionMethods.All)
            Assert.Contains(registered.Description.Summary, described["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private async Task<JsonNode> OpenApiAsync()
    {
        using var client = service.Admin();
        return JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
    }

    /// <summary>The schema itself, following a $ref (the generator shares the schema of a type used in several places).</summary>
    private static JsonNode Resolve(JsonNode document, JsonNode schema)
    {
        if (schema["$ref"]?.GetValue<string>() is { } reference)
            return document["components"]!["schemas"]![reference.Split('/')[^1]]!;
        return schema;
    }
}

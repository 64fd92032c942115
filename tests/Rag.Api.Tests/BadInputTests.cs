using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Rag.Api.Tests;

/// <summary>Runs in both deployments: embedded (<see cref="EmbeddedBadInputTests"/>) and PostgreSQL with api and worker processes (<see cref="PostgresBadInputTests"/>).</summary>
public abstract class BadInputTests(ServiceFixture service) : IAsyncLifetime
{
    private readonly HttpClient _client = service.Admin();

    public async Task InitializeAsync() =>
        await _client.IngestAsync("inputs", "handbook.md", Documents.Utf8(Documents.HandbookMarkdown));

    public Task DisposeAsync()
    {
        _client.Dispose();
        return Task.CompletedTask;
    }

    public static TheoryData<string, string, string> InvalidBodies() => new()
    {
        { "/v1/collections/inputs/ask", """{"question": ""}""", "question" },
        { "/v1/collections/inputs/ask", """{"question": "   "}""", "question" },
        { "/v1/collections/inputs/ask", """{"question": "why?", "top_k": 0}""", "top_k" },
        { "/v1/collections/inputs/ask", """{"question": "why?", "top_k": 51}""", "top_k" },
        { "/v1/collections/inputs/ask", """{"question": "why?", "budget_tokens": 1}""", "budget_tokens" },
        { "/v1/collections/inputs/ask", """{"question": "why?", "top_k": "five"}""", "top_k" },
        { "/v1/collections/inputs/ask", """{"question": "why?", "top_k": "5"}""", "top_k" },
        { "/v1/collections/inputs/ask", """{"question": "why?", "budget_tokens": 1.5}""", "budget_tokens" },
        { "/v1/collections/inputs/ask", """{"question": 42}""", "question" },
        { "/v1/collections/inputs/ask", """{"question": "why?", "tags": [""]}""", "tags" },
        { "/v1/collections/inputs/search", """{"top_k": 3}""", "query" },
        { "/v1/collections/inputs/search", """{"query": "x", "top_k": 101}""", "top_k" },
        { "/v1/collections/inputs/search", """{"query": "x", "mode": "semantic"}""", "mode" },
        { "/v1/collections/inputs/ask", """{"question": "why?", "stream": "yes"}""", "stream" },
        { "/v1/collections/inputs/search", """{"query": "lighthouse", """, "body" },
        { "/v1/collections/inputs/search", "not json at all", "body" },
        { "/v1/collections/inputs/search", "", "body" },
        { "/v1/collections/inputs/documents", """{"title": "no text"}""", "text" },
        { "/v1/collections/inputs/documents", """{"text": "x", "tags": "not-a-list"}""", "tags" },
        { "/v1/collections/Bad_Name!/ask", """{"question": "why?"}""", "collection" },
        { "/v1/collections/-starts-with-dash/search", """{"query": "why?"}""", "collection" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Invalid_requests_get_400_problem_details_naming_the_field(string url, string body, string field)
    {
        var response = await _client.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await ExpectProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(field), $"errors name '{field}': {problem}");
    }

    [Fact]
    public async Task Invalid_list_parameters_name_the_parameter()
    {
        var problem = await ExpectProblemAsync(await _client.GetAsync("/v1/collections/inputs/documents?limit=0"), HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("limit"));
    }

    [Theory]
    [InlineData("/v1/collections/no-such-collection/search", "Collection not found.")]
    [InlineData("/v1/collections/no-such-collection/ask", "Collection not found.")]
    public async Task Unknown_collections_get_404(string url, string title)
    {
        var problem = await ExpectProblemAsync(await _client.PostAsJsonAsync(url, new { query = "x", question = "x" }), HttpStatusCode.NotFound);
        Assert.Equal(title, problem["title"].Text());
    }

    [Fact]
    public async Task Unknown_documents_and_collections_get_404_on_every_document_endpoint()
    {
        await ExpectProblemAsync(await _client.GetAsync("/v1/collections/inputs/documents/doc_000000000000000000000000"), HttpStatusCode.NotFound);
        await ExpectProblemAsync(await _client.GetAsync("/v1/collections/inputs/documents/doc_000000000000000000000000/content"), HttpStatusCode.NotFound);
        await ExpectProblemAsync(await _client.GetAsync("/v1/collections/inputs/documents/doc_000000000000000000000000/chunks"), HttpStatusCode.NotFound);
        await ExpectProblemAsync(await _client.DeleteAsync("/v1/collections/inputs/documents/doc_000000000000000000000000"), HttpStatusCode.NotFound);
        await ExpectProblemAsync(await _client.GetAsync("/v1/collections/no-such-collection/documents"), HttpStatusCode.NotFound);
        await ExpectProblemAsync(await _client.GetAsync("/v1/no/such/route"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_upload_over_the_limit_gets_413_and_is_not_stored()
    {
        var big = new byte[ServiceFixture.MaxUploadBytes + 1];
        Array.Fill(big, (byte)'a');

        await ExpectProblemAsync(await _client.UploadFileAsync("oversize", "big.txt", big), HttpStatusCode.RequestEntityTooLarge);
        await ExpectProblemAsync(await _client.UploadTextAsync("oversize", new { text = Encoding.ASCII.GetString(big) }), HttpStatusCode.RequestEntityTooLarge);
        // Far over the limit, the service answers from Content-Length without reading the body; a
        // client that sends "Expect: 100-continue" gets the 413 before sending a byte of it.
        using var careful = service.Server.Client(ServiceFixture.AdminKey);
        careful.DefaultRequestHeaders.ExpectContinue = true;
        var huge = new byte[ServiceFixture.MaxUploadBytes + (2 * 1024 * 1024)];
        await ExpectProblemAsync(await careful.UploadFileAsync("oversize", "huge.txt", huge), HttpStatusCode.RequestEntityTooLarge);

        await ExpectProblemAsync(await _client.GetAsync("/v1/collections/oversize/documents"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("report.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]
    [InlineData("photo.png", "image/png")]
    [InlineData("archive", "application/zip")]
    public async Task Unsupported_file_types_get_415(string fileName, string mediaType)
    {
        var problem = await ExpectProblemAsync(await _client.UploadFileAsync("inputs", fileName, [1, 2, 3], mediaType: mediaType), HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("not a supported document type", problem["detail"].Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsupported_request_bodies_get_415()
    {
        await ExpectProblemAsync(await _client.PostAsync("/v1/collections/inputs/documents", new StringContent("a,b", Encoding.UTF8, "text/csv")), HttpStatusCode.UnsupportedMediaType);
        await ExpectProblemAsync(await _client.PostAsync("/v1/collections/inputs/ask", new StringContent("question=x", Encoding.UTF8, "text/plain")), HttpStatusCode.UnsupportedMediaType);
        await ExpectProblemAsync(await _client.UploadTextAsync("inputs", new { text = "%PDF", file_name = "a.pdf" }), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_multipart_upload_without_a_file_field_names_the_field()
    {
        using var form = new MultipartFormDataContent { { new StringContent("just a title"), "title" } };

        var problem = await ExpectProblemAsync(await _client.PostAsync("/v1/collections/inputs/documents", form), HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("file"));
    }

    [Fact]
    public async Task Bad_input_changes_nothing()
    {
        var before = await (await _client.GetAsync("/v1/collections/inputs/documents")).ExpectAsync(HttpStatusCode.OK);

        await _client.PostAsync("/v1/collections/inputs/documents", new StringContent("{\"text\": ", Encoding.UTF8, "application/json"));
        await _client.UploadFileAsync("inputs", "x.docx", [1, 2, 3]);
        await _client.UploadTextAsync("inputs", new { text = "", title = "empty" });

        var after = await (await _client.GetAsync("/v1/collections/inputs/documents")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(before["documents"]!.ToJsonString(), after["documents"]!.ToJsonString());
    }

    /// <summary>Checks the status, the problem+json media type, and that nothing internal leaks.</summary>
    internal static async Task<JsonNode> ExpectProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", body, StringComparison.Ordinal);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(problem["title"]?.GetValue<string>()));
        return problem;
    }
}

[Collection(ServiceCollection.Name)]
public sealed class EmbeddedBadInputTests(ServiceFixture service) : BadInputTests(service);

[Collection(PostgresServiceCollection.Name)]
[Trait("Tier", "Process")]
public sealed class PostgresBadInputTests(PostgresServiceFixture service) : BadInputTests(service);

using System.Net;
using System.Text;

namespace Rag.Client.Tests;

/// <summary>The client's own logic: links, and how an error answer becomes a <see cref="RagApiException"/> (against the real service in Rag.Api.Tests).</summary>
public sealed class RagClientTests
{
    [Fact]
    public void Links_escape_the_collection_and_document_and_carry_the_span()
    {
        Assert.Equal("https://rag.example/base/v1/collections/team%20a/documents/doc_1/chunks#char=3,9",
            RagLinks.Service(new Uri("https://rag.example/base/"), "team a", "doc_1", 3, 9).AbsoluteUri);
        Assert.Equal("rag://notes/doc%2F2#char=0,4", RagLinks.InProcess("notes", "doc/2", 0, 4).OriginalString);
    }

    [Fact]
    public async Task A_problem_answer_becomes_an_exception_with_the_status_and_the_problem()
    {
        using var http = new HttpClient(new Answering(HttpStatusCode.NotFound, """{"title":"Not found","status":404,"detail":"No collection 'x'."}""", "application/problem+json"))
        { BaseAddress = new Uri("http://127.0.0.1:1/") };
        var client = new RagClient(http, "key");

        var error = await Assert.ThrowsAsync<RagApiException>(() => client.SearchAsync("x", new RagSearchRequest("ferry"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal("No collection 'x'.", (string?)error.Problem?["detail"]);
    }

    [Fact]
    public async Task An_answer_that_is_not_json_keeps_its_text()
    {
        using var http = new HttpClient(new Answering(HttpStatusCode.BadGateway, "<html>proxy down</html>", "text/html")) { BaseAddress = new Uri("http://127.0.0.1:1/") };
        var client = new RagClient(http);

        var error = await Assert.ThrowsAsync<RagApiException>(() => client.SearchAsync("x", new RagSearchRequest("ferry"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
        Assert.Null(error.Problem);
        Assert.Contains("proxy down", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Answers every request with one response (never leaves the process).</summary>
    private sealed class Answering(HttpStatusCode status, string body, string mediaType) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType), RequestMessage = request });
    }
}

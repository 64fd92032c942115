using System.Net;
using System.Text.RegularExpressions;
using Rag.Tests.Shared;

namespace Rag.Api.Tests;

/// <summary>The API reference at /docs is the service's own page over its OpenAPI document, with nothing fetched from elsewhere.</summary>
[Collection(ServiceCollection.Name)]
public sealed partial class ApiReferenceTests(ServiceFixture service)
{
    [Fact]
    public async Task The_api_reference_is_served_at_docs_from_the_service_alone()
    {
        using var client = service.Admin();

        var page = await client.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("openapi/v1.json", html, StringComparison.Ordinal);
        Assert.Empty(ExternalReference().Matches(html)); // no CDN: every script and style is the service's

        foreach (Match script in ScriptSource().Matches(html))
        {
            var asset = await client.GetAsync("/docs/" + script.Groups[1].Value);
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
            Assert.True((await asset.Content.ReadAsByteArrayAsync()).Length > 0);
        }

        var redirect = await client.GetAsync("/docs");
        Assert.True(redirect.IsSuccessStatusCode || redirect.StatusCode == HttpStatusCode.Found);
    }

    [Fact]
    [Trait("Tier", "Process")]
    public async Task The_start_log_says_where_the_api_reference_is_in_json_lines_when_the_output_is_not_a_terminal()
    {
        // A process of its own: its output goes to this test, not a terminal, so JSON lines, one of them with the
        // addresses (written once the server has started, a moment after it listens).
        await using var server = await RagServer.StartAsync();
        var ready = await Eventually.ValueAsync(
            () => Task.FromResult<List<string>>([.. server.Log.Split('\n').Where(l => l.Contains("\"EventId\":16", StringComparison.Ordinal))]),
            lines => lines.Count > 0, "the start line with the addresses", TimeSpan.FromSeconds(10));

        var line = Assert.Single(ready);
        var entry = System.Text.Json.Nodes.JsonNode.Parse(line)!;
        var docs = entry["State"]!["Docs"]!.GetValue<string>();
        Assert.StartsWith("http://127.0.0.1:", docs, StringComparison.Ordinal);
        Assert.EndsWith("/docs", docs, StringComparison.Ordinal);
        Assert.Equal(docs[..^"/docs".Length] + "/mcp", entry["State"]!["Mcp"]!.GetValue<string>());
        Assert.Equal(docs[..^"/docs".Length] + "/", entry["State"]!["Console"]!.GetValue<string>());
    }

    [GeneratedRegex(@"(src|href)=""(https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();

    [GeneratedRegex(@"<script[^>]*src=""([^""]+)""")]
    private static partial Regex ScriptSource();
}

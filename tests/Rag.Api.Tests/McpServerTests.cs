using System.Net;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Rag.Api.Tests;

/// <summary>The MCP server at /mcp, driven by the official MCP C# client over streamable HTTP against the running service.</summary>
[Collection(ServiceCollection.Name)]
public sealed class McpServerTests(ServiceFixture service)
{
    private static readonly string[] ExpectedTools = ["ask", "compress", "get_document", "ingest_text", "list_documents", "search"];

    private async Task<McpClient> ConnectAsync(string? apiKey)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(service.Server.BaseAddress, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = apiKey is null ? null : new Dictionary<string, string> { ["Authorization"] = "Bearer " + apiKey },
        });
        return await McpClient.CreateAsync(transport);
    }

    private static async Task<JsonElement> CallAsync(McpClient client, string tool, Dictionary<string, object?> arguments)
    {
        var result = await client.CallToolAsync(tool, arguments);
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        Assert.False(result.IsError == true, $"{tool} failed: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task<string> ErrorAsync(McpClient client, string tool, Dictionary<string, object?> arguments)
    {
        var result = await client.CallToolAsync(tool, arguments);
        Assert.True(result.IsError, $"{tool} should have failed");
        return Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
    }

    [Fact]
    public async Task An_agent_lists_the_tools_ingests_searches_and_asks_through_MCP()
    {
        await using var client = await ConnectAsync(ServiceFixture.TeamAKey);

        var tools = await client.ListToolsAsync();
        Assert.Equal(ExpectedTools, tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        foreach (var tool in tools)
            Assert.False(string.IsNullOrWhiteSpace(tool.Description), $"{tool.Name} has no description");
        var search = tools.Single(t => t.Name == "search").JsonSchema;
        Assert.Equal(["collection", "query"], search.GetProperty("required").EnumerateArray().Select(e => e.GetString()).Order(StringComparer.Ordinal));
        Assert.True(search.GetProperty("properties").TryGetProperty("top_k", out _), search.ToString());

        var added = await CallAsync(client, "ingest_text", new()
        {
            ["collection"] = "team-a-mcp",
            ["text"] = Documents.HandbookMarkdown,
            ["file_name"] = "mcp-handbook.md",
            ["tags"] = new[] { "mcp" },
        });
        var id = added.GetProperty("id").GetString()!;
        using (var http = service.Server.Client(ServiceFixture.TeamAKey))
            await http.WaitUntilFinalAsync(added.GetProperty("status_url").GetString()!);

        var listed = await CallAsync(client, "list_documents", new() { ["collection"] = "team-a-mcp" });
        Assert.Contains(listed.GetProperty("documents").EnumerateArray(), d => d.GetProperty("id").GetString() == id);

        var found = await CallAsync(client, "search", new() { ["collection"] = "team-a-mcp", ["query"] = "lighthouse built", ["top_k"] = 3, ["tags"] = new[] { "mcp" } });
        var first = found.GetProperty("results")[0];
        Assert.Equal(id, first.GetProperty("document_id").GetString());

        var document = await CallAsync(client, "get_document", new() { ["collection"] = "team-a-mcp", ["document_id"] = id });
        var text = document.GetProperty("text").GetString()!;
        // Spans from search point into the text get_document returns.
        Assert.Equal(first.GetProperty("text").GetString(), text[first.GetProperty("start").GetInt32()..first.GetProperty("end").GetInt32()]);

        var answer = await CallAsync(client, "ask", new() { ["collection"] = "team-a-mcp", ["question"] = "When was the lighthouse built?", ["tags"] = new[] { "mcp" } });
        Assert.False(string.IsNullOrWhiteSpace(answer.GetProperty("answer").GetString()));
        var citation = answer.GetProperty("citations")[0];
        Assert.Equal(id, citation.GetProperty("document_id").GetString());
        Assert.Contains(citation.GetProperty("quote").GetString()!, text, StringComparison.Ordinal);

        var compressed = await CallAsync(client, "compress", new()
        {
            ["context"] = new[] { text },
            ["question"] = "When was the lighthouse built?",
            ["rate"] = 0.3,
        });
        Assert.True(compressed.GetProperty("compressed_tokens").GetInt32() < compressed.GetProperty("origin_tokens").GetInt32());
    }

    [Fact]
    public async Task A_key_scoped_to_one_collection_cannot_reach_another_through_MCP()
    {
        using (var admin = service.Admin())
            await admin.IngestAsync("mcp-private", "secret.md", Documents.Utf8("# Vault\n\nThe vault code is 4417 and only team b knows it."));

        await using var client = await ConnectAsync(ServiceFixture.TeamAKey);
        foreach (var (tool, arguments) in new (string, Dictionary<string, object?>)[]
        {
            ("search", new() { ["collection"] = "mcp-private", ["query"] = "vault code" }),
            ("ask", new() { ["collection"] = "mcp-private", ["question"] = "What is the vault code?" }),
            ("list_documents", new() { ["collection"] = "mcp-private" }),
            ("get_document", new() { ["collection"] = "mcp-private", ["document_id"] = "anything" }),
            ("ingest_text", new() { ["collection"] = "mcp-private", ["text"] = "planted" }),
        })
        {
            var error = await ErrorAsync(client, tool, arguments);
            Assert.Contains("may not use the collection 'mcp-private'", error, StringComparison.Ordinal);
            Assert.DoesNotContain("4417", error, StringComparison.Ordinal);
        }

        // The same rules as the HTTP API, in the same words.
        var invalid = await ErrorAsync(client, "search", new() { ["collection"] = "team-a-mcp", ["query"] = "x", ["top_k"] = 500 });
        Assert.Contains("top_k", invalid, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MCP_without_a_valid_key_is_refused_before_any_tool_runs()
    {
        using var anonymous = service.Server.Client(null);
        var refused = await anonymous.PostAsync("/mcp", new StringContent(
            """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);

        var e = await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync("not-a-key-0123456789abcdef"));
        Assert.Contains("401", e.ToString(), StringComparison.Ordinal);
    }
}

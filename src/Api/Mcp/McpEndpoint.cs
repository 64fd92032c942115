using ModelContextProtocol.Protocol;

namespace Rag.Api.Mcp;

/// <summary>
/// The Model Context Protocol server at <c>/mcp</c> (streamable HTTP, stateless: any instance answers any
/// request, no session affinity). Every MCP request carries an API key like any other request; the tools act
/// for that key and only within its collections.
/// </summary>
internal static class McpEndpoint
{
    public const string Path = "/mcp";

    public static IServiceCollection AddRagMcp(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services
            .AddMcpServer(o =>
            {
                o.ServerInfo = new Implementation { Name = "rag", Title = "Rag", Version = typeof(McpEndpoint).Assembly.GetName().Version?.ToString(3) ?? "1.0.0" };
                o.ServerInstructions =
                    "Rag searches and answers from document collections and compresses long context to a token budget. " +
                    "Use search to gather passages, ask for a cited answer, compress for text you already hold, " +
                    "ingest_text to add a document (then get_document until its state is ready), list_documents and get_document to browse.";
            })
            .WithHttpTransport(o => o.Stateless = true)
            .WithTools<RagTools>(ApiJson.Configure(new System.Text.Json.JsonSerializerOptions(ModelContextProtocol.McpJsonUtilities.DefaultOptions)));
        return services;
    }

    /// <summary>Maps the MCP endpoint behind the API-key check (401 with problem details without a valid key).</summary>
    public static IEndpointConventionBuilder MapRagMcp(this IEndpointRouteBuilder app)
    {
        var endpoint = app.MapMcp(Path);
        // MCP's endpoints are request delegates, not route handlers, so endpoint filters do not run on them: wrap the delegate.
        endpoint.Add(builder =>
        {
            var inner = builder.RequestDelegate!;
            builder.RequestDelegate = async context =>
            {
                if (context.Authenticate() is null)
                {
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                    await ApiProblems.Unauthorized().ExecuteAsync(context);
                    return;
                }

                await inner(context);
            };
        });
        return endpoint;
    }
}

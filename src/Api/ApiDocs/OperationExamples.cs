using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Rag.Api.ApiDocs;

/// <summary>
/// The OpenAPI document's examples for the main requests (the API reference shows them, ready to send) and a
/// description of what each refusal means (<see cref="Refusals.Describe"/>) in place of the bare reason phrase.
/// </summary>
internal sealed class OperationExamples : IOpenApiOperationTransformer
{
    private static readonly Dictionary<string, string> Examples = new(StringComparer.Ordinal)
    {
        ["UploadDocument"] = """
            {"text": "# Harbour handbook\n\n## Lighthouse\n\nThe lighthouse was built in 1854 by the harbour board.", "title": "Harbour handbook", "tags": ["visitors"], "file_name": "harbour.md"}
            """,
        ["Search"] = """{"query": "when was the lighthouse built", "top_k": 3, "mode": "hybrid"}""",
        ["Ask"] = """{"question": "When was the lighthouse built?", "top_k": 5, "budget_tokens": 256, "compression": {"method": "coarse_to_fine", "rate": 0.5}}""",
        ["Compress"] = """
            {"context": ["The lighthouse was built in 1854 by the harbour board. Its lamp is lit at dusk and put out at dawn. The keeper's cottage is now a small museum."], "question": "When was the lighthouse built?", "rate": 0.4, "method": "auto"}
            """,
        ["CreateChatCompletion"] = """
            {"model": "rag", "messages": [{"role": "system", "content": "Answer from the documents."}, {"role": "user", "content": "When was the lighthouse built?"}], "max_tokens": 64}
            """,
    };

    /// <summary>The example request of an operation, if it has one (tests send each to the service).</summary>
    public static IReadOnlyDictionary<string, string> All => Examples;

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.OperationId is { } id && Examples.TryGetValue(id, out var example)
            && operation.RequestBody?.Content?.TryGetValue("application/json", out var json) == true)
            json.Example = JsonNode.Parse(example);

        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (response is OpenApiResponse concrete && int.TryParse(status, out var code) && Refusals.Describe(code) is { } meaning)
                concrete.Description = meaning;
        }

        return Task.CompletedTask;
    }
}

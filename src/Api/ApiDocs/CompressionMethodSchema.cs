using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Rag.Compression;
using Rag.Compression.Methods;

namespace Rag.Api.ApiDocs;

/// <summary>
/// Describes <see cref="CompressionMethod"/> in the OpenAPI document as the string enum it is on the wire,
/// its values and their summaries read from the method registry (<see cref="CompressionMethods"/>).
/// </summary>
internal sealed class CompressionMethodSchema : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type != typeof(CompressionMethod) && type != typeof(CompressionMethod?))
            return Task.CompletedTask;
        schema.Type = JsonSchemaType.String | (type == typeof(CompressionMethod?) ? JsonSchemaType.Null : 0);
        schema.Properties?.Clear();
        schema.Enum = [.. CompressionMethods.Names.Select(n => (JsonNode)JsonValue.Create(n))];
        schema.Description = "auto (default): code → longcodezip, text with a question → coarse_to_fine, text without one → segment; none: pass through; "
            + string.Join("; ", CompressionMethods.All.Select(m => $"{m.Description.Method.Name}: {m.Description.Summary}"));
        return Task.CompletedTask;
    }
}

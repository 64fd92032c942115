using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Rag.Api.ApiDocs;

/// <summary>
/// Describes the multipart form of the upload endpoint, which the handler reads itself (it takes
/// either a form or JSON, so no parameter binding tells OpenAPI what the form holds).
/// </summary>
internal sealed class UploadFormTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.OperationId != "UploadDocument" || operation.RequestBody?.Content is not { } content)
            return Task.CompletedTask;

        content["multipart/form-data"] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Required = new HashSet<string> { "file" },
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["file"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "The document. Its extension (or media type) says its format." },
                    ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A title; the file name when absent." },
                    ["tags"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Tags, comma-separated or as repeated fields." },
                },
            },
        };
        return Task.CompletedTask;
    }
}

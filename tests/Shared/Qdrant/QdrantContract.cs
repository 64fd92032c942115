using System.Text.RegularExpressions;
using NJsonSchema;
using NSwag;

namespace Rag.Tests.Shared.Qdrant;

/// <summary>
/// Qdrant's own OpenAPI description (v1.19), the contract our REST client is held to. Object
/// schemas that list their properties are made strict (no undeclared properties), so a misspelt
/// field fails validation instead of being silently ignored by the server.
/// </summary>
internal static class QdrantContract
{
    private static readonly Lazy<OpenApiDocument> Document = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Qdrant", "openapi-v1.19.json");
        var document = OpenApiDocument.FromJsonAsync(File.ReadAllText(path)).GetAwaiter().GetResult();
        foreach (var schema in document.Components.Schemas.Values)
        {
            if (schema.Properties.Count > 0 && schema.AdditionalPropertiesSchema is null)
                schema.AllowAdditionalProperties = false;
        }

        return document;
    });

    /// <summary>The operation for <paramref name="method"/> and a concrete <paramref name="path"/>, or null when the API has none.</summary>
    public static OpenApiOperation? Operation(string method, string path)
    {
        foreach (var (template, item) in Document.Value.Paths)
        {
            var pattern = "^" + Regex.Replace(Regex.Escape(template), @"\\\{[^}]+}", "[^/]+") + "$";
            if (Regex.IsMatch(path, pattern) && item.TryGetValue(method.ToLowerInvariant(), out var operation))
                return operation;
        }

        return null;
    }

    /// <summary>Violations of the operation's request body schema (empty when valid).</summary>
    public static IReadOnlyList<string> ValidateRequest(OpenApiOperation operation, string body)
    {
        var schema = operation.RequestBody?.Content.TryGetValue("application/json", out var media) == true ? media.Schema : null;
        if (schema is null)
            return string.IsNullOrEmpty(body) ? [] : ["the operation takes no body"];
        return Validate(schema, body);
    }

    /// <summary>Violations of the operation's 200 response schema (empty when valid).</summary>
    public static IReadOnlyList<string> ValidateResponse(OpenApiOperation operation, string body)
    {
        var schema = operation.Responses["200"].Content["application/json"].Schema;
        return Validate(schema, body);
    }

    private static string[] Validate(JsonSchema schema, string json) =>
        [.. schema.ActualSchema.Validate(json).Select(e => $"{e.Kind} at {e.Path}")];
}

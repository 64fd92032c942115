using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rag.Api.Startup;

/// <summary>How the service reads and writes JSON, on HTTP and MCP alike.</summary>
internal static class ApiJson
{
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        // Numbers are numbers: "top_k": "5" is a 400 naming top_k, and OpenAPI says integer.
        options.NumberHandling = JsonNumberHandling.Strict;
        // Enums are their names: "mode": 3 is a 400 naming mode, not whatever member 3 happens to be.
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        return options;
    }
}

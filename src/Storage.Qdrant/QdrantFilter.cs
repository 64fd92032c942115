using System.Text.Json.Nodes;

namespace Rag.Storage.Qdrant;

/// <summary>Builders for Qdrant filters (the <c>Filter</c> and <c>FieldCondition</c> schemas).</summary>
public static class QdrantFilter
{
    /// <summary>The payload field equals a keyword.</summary>
    public static JsonObject Match(string key, string value) =>
        new() { ["key"] = key, ["match"] = new JsonObject { ["value"] = value } };

    /// <summary>The payload field equals a number.</summary>
    public static JsonObject Equal(string key, long value) =>
        new() { ["key"] = key, ["match"] = new JsonObject { ["value"] = value } };

    /// <summary>The payload field is at least a number.</summary>
    public static JsonObject AtLeast(string key, long value) =>
        new() { ["key"] = key, ["range"] = new JsonObject { ["gte"] = value } };

    /// <summary>Every condition holds.</summary>
    public static JsonObject All(params IEnumerable<JsonNode> conditions) => new() { ["must"] = new JsonArray([.. conditions]) };

    /// <summary>At least one condition holds.</summary>
    public static JsonObject Any(params IEnumerable<JsonNode> conditions) => new() { ["should"] = new JsonArray([.. conditions]) };

    /// <summary>No condition holds.</summary>
    public static JsonObject None(params IEnumerable<JsonNode> conditions) => new() { ["must_not"] = new JsonArray([.. conditions]) };

    /// <summary>All of <paramref name="must"/> and at least one of <paramref name="should"/>.</summary>
    public static JsonObject AllAndAny(IEnumerable<JsonNode> must, IEnumerable<JsonNode> should) =>
        new() { ["must"] = new JsonArray([.. must]), ["should"] = new JsonArray([.. should]) };
}

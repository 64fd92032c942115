using System.Text.Json.Nodes;

namespace Rag.Storage.Qdrant;

/// <summary>A point read back, with its score when it came from a query and its named vectors when asked for.</summary>
public sealed record ScoredPoint(string Id, float Score, JsonObject Payload, JsonObject? Vectors = null);

using System.Text.Json.Nodes;

namespace Rag.Storage.Qdrant;

/// <summary>A point to write: id, named vectors (and named multivectors), payload.</summary>
public sealed record QdrantPoint(Guid Id, IReadOnlyDictionary<string, float[]> Vectors, JsonObject Payload, IReadOnlyDictionary<string, float[][]>? MultiVectors = null);

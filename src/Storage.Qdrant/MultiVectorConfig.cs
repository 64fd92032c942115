namespace Rag.Storage.Qdrant;

/// <summary>How a multivector point is compared with a query (<c>max_sim</c>, the only comparator Qdrant has).</summary>
public sealed record MultiVectorConfig(string Comparator = "max_sim");

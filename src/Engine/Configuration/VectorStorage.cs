namespace Rag.Engine.Configuration;

/// <summary>Where chunk vectors live.</summary>
public enum VectorStorage
{
    /// <summary>Exact search in process, one file per document under the data folder.</summary>
    Embedded,

    /// <summary>A Qdrant server (gRPC, through the official client).</summary>
    Qdrant,
}

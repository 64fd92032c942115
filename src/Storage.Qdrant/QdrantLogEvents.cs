namespace Rag.Storage.Qdrant;

/// <summary>The Qdrant adapter's log event ids (ids never change meaning).</summary>
internal static class QdrantLogEvents
{
    /// <summary>A Qdrant call failed transiently and is tried again.</summary>
    public const int QdrantRetry = 1400;

    /// <summary>Qdrant refused a call (permanently, or still failing after the last attempt).</summary>
    public const int QdrantRefused = 1401;
}

namespace Rag.Storage.Qdrant;

/// <summary>The <c>Rag:Storage:Qdrant</c> section, used when any part of <c>Rag:Storage</c> is <c>Qdrant</c>.</summary>
public sealed class QdrantOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Rag:Storage:Qdrant";

    /// <summary>The REST endpoint, e.g. <c>http://qdrant:6333</c>.</summary>
    public string? Url { get; set; }

    /// <summary>Sent as the <c>api-key</c> header when set.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Prefix of the Qdrant collections Rag creates (<c>{prefix}chunks</c>, <c>{prefix}segment_cache</c>).</summary>
    public string CollectionPrefix { get; set; } = "rag_";

    /// <summary>Attempts for a request that gets 429, 502, 503 or 504 (or no answer) before giving up.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>How long one attempt may take (each retry gets its own).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

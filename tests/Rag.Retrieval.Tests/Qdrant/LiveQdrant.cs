using Rag.Storage.Qdrant;

namespace Rag.Retrieval.Tests.Qdrant;

/// <summary>A real Qdrant server named by <c>QDRANT_URL</c> (and <c>QDRANT_API_KEY</c>), when there is one.</summary>
internal static class LiveQdrant
{
    public static string? Url => Environment.GetEnvironmentVariable("QDRANT_URL") is { Length: > 0 } url ? url.TrimEnd('/') + "/" : null;

    public static QdrantClient Client() =>
        new(new HttpClient { BaseAddress = new Uri(Url ?? throw new InvalidOperationException("QDRANT_URL is not set.")) }, Environment.GetEnvironmentVariable("QDRANT_API_KEY"));
}

/// <summary>A test that needs a real Qdrant: skipped, saying why, when <c>QDRANT_URL</c> is not set.</summary>
public sealed class LiveQdrantFactAttribute : FactAttribute
{
    public LiveQdrantFactAttribute()
    {
        if (LiveQdrant.Url is null)
            Skip = "QDRANT_URL is not set: no Qdrant server here. The schema-checking stub runs the same contract; set QDRANT_URL (and QDRANT_API_KEY) to run it live.";
    }
}

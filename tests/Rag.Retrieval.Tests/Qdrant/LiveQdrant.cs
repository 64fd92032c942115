using Rag.Storage.Qdrant;

namespace Rag.Retrieval.Tests.Qdrant;

/// <summary>A real Qdrant server whose gRPC endpoint <c>QDRANT_URL</c> names (and <c>QDRANT_API_KEY</c> its key), when there is one.</summary>
internal static class LiveQdrant
{
    public static string? Url => Environment.GetEnvironmentVariable("QDRANT_URL") is { Length: > 0 } url ? url : null;

    private static QdrantOptions Options() => new()
    {
        Url = Url ?? throw new InvalidOperationException("QDRANT_URL is not set."),
        ApiKey = Environment.GetEnvironmentVariable("QDRANT_API_KEY"),
    };

    public static QdrantConnection Connection() => new(Options());

    /// <summary>The official client itself, for clean-up.</summary>
    public static global::Qdrant.Client.QdrantClient Client()
    {
        var options = Options();
        return new global::Qdrant.Client.QdrantClient(options.Endpoint(), options.ApiKey);
    }
}

/// <summary>A test that needs a real Qdrant: skipped, saying why, when <c>QDRANT_URL</c> is not set.</summary>
public sealed class LiveQdrantFactAttribute : FactAttribute
{
    public LiveQdrantFactAttribute()
    {
        if (LiveQdrant.Url is null)
            Skip = "QDRANT_URL is not set: no Qdrant server here. The gRPC stand-in runs the same contract; set QDRANT_URL (Qdrant's gRPC endpoint, e.g. http://127.0.0.1:6334) and QDRANT_API_KEY to run it live.";
    }
}

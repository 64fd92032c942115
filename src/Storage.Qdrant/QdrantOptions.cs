using System.Text.RegularExpressions;

namespace Rag.Storage.Qdrant;

/// <summary>The <c>Rag:Storage:Qdrant</c> section, used when any part of <c>Rag:Storage</c> is <c>Qdrant</c>.</summary>
public sealed partial class QdrantOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Rag:Storage:Qdrant";

    /// <summary>Qdrant's gRPC port, used when <see cref="Url"/> names none.</summary>
    public const int GrpcPort = 6334;

    /// <summary>Qdrant's REST port, which Rag does not use (refused at start, to catch a REST-era setting).</summary>
    public const int RestPort = 6333;

    /// <summary>Qdrant's gRPC endpoint, e.g. <c>http://qdrant:6334</c>; <c>https://</c> for TLS. Without a port, 6334.</summary>
    public string? Url { get; set; }

    /// <summary>Sent as the <c>api-key</c> header of every call when set.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// With TLS: the SHA-256 thumbprint (hex) of the server's certificate, accepted instead of a chain to a trusted root
    /// (Qdrant's self-signed certificates). Empty: the certificate must chain to a root this machine trusts.
    /// </summary>
    public string? CertificateThumbprint { get; set; }

    /// <summary>Prefix of the Qdrant collections Rag creates (<c>{prefix}chunks_{size}</c>, <c>{prefix}segment_cache</c>).</summary>
    public string CollectionPrefix { get; set; } = "rag_";

    /// <summary>Attempts for a call that fails transiently (Unavailable, ResourceExhausted, DeadlineExceeded, Aborted).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>How long one attempt may take (the gRPC deadline; each retry gets its own).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The endpoint to dial: <see cref="Url"/> with port 6334 when it names none.</summary>
    public Uri Endpoint()
    {
        var url = new Uri(Url ?? throw new InvalidOperationException($"{Section}:Url is not set."));
        return ExplicitPort().IsMatch(Url) ? url : new UriBuilder(url) { Port = GrpcPort }.Uri;
    }

    /// <summary>How the start log names the endpoint (never the key).</summary>
    public string Describe()
    {
        var endpoint = Endpoint();
        return $"gRPC {endpoint.GetLeftPart(UriPartial.Authority)} (TLS {(endpoint.Scheme == Uri.UriSchemeHttps ? "on" : "off")}, api-key {(string.IsNullOrEmpty(ApiKey) ? "none" : "set")})";
    }

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*:\d+(?:[/?#]|$)")]
    private static partial Regex ExplicitPort();
}

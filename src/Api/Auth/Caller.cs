namespace Rag.Api.Auth;

/// <summary>Who is calling: the API key's name, the collections it may use, and whether it may see the service's operation (metrics, jobs).</summary>
public sealed record Caller(string Name, IReadOnlySet<string> Collections, bool IsAdmin = false)
{
    /// <summary>The caller when authentication is off (no keys configured, loopback only).</summary>
    public static Caller Local { get; } = new("local", new HashSet<string> { "*" }, IsAdmin: true);

    /// <summary>True when the caller may read and write <paramref name="collection"/>.</summary>
    public bool MayUse(string collection) => Collections.Contains("*") || Collections.Contains(collection);
}

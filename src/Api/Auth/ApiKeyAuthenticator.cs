using System.Security.Cryptography;
using System.Text;

namespace Rag.Api.Auth;

/// <summary>Finds the caller for a request's bearer key. Keys are compared as SHA-256 digests, in constant time.</summary>
public sealed class ApiKeyAuthenticator
{
    private readonly (byte[] Digest, Caller Caller)[] _keys;

    public ApiKeyAuthenticator(IOptions<AuthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _keys = options.Value.ApiKeys
            .Select(k => (Digest(k.Key), new Caller(k.Name, k.Collections.ToHashSet(StringComparer.Ordinal), k.Admin)))
            .ToArray();
    }

    /// <summary>False when no keys are configured: every caller on loopback is trusted.</summary>
    public bool Enabled => _keys.Length > 0;

    /// <summary>The caller for the request, or null when its key is missing or unknown.</summary>
    public Caller? Authenticate(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Enabled)
            return Caller.Local;

        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return null;

        var digest = Digest(header[scheme.Length..].Trim());
        Caller? found = null;
        foreach (var (candidate, caller) in _keys)
        {
            // Compare with every key so timing does not tell how many keys were tried.
            if (CryptographicOperations.FixedTimeEquals(candidate, digest))
                found = caller;
        }

        return found;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}

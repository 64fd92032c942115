namespace Rag.Api.Auth;

/// <summary>One API key and the collections it may read and write.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>A name for logs (never the key itself).</summary>
    public string Name { get; set; } = "";

    /// <summary>The secret; at least 16 characters.</summary>
    public string Key { get; set; } = "";

    /// <summary>Collections this key may use; <c>*</c> means every collection.</summary>
    public IList<string> Collections { get; init; } = [];

    /// <summary>Whether the key may see how the service runs: <c>/metrics</c> (and the job dashboard). Off by default.</summary>
    public bool Admin { get; set; }
}

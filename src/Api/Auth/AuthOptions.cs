namespace Rag.Api.Auth;

/// <summary>The <c>Auth</c> configuration section.</summary>
public sealed class AuthOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "Auth";

    /// <summary>
    /// Keys accepted as <c>Authorization: Bearer &lt;key&gt;</c>. With none, authentication is off
    /// and the service listens on loopback addresses only.
    /// </summary>
    public IList<ApiKeyOptions> ApiKeys { get; init; } = [];
}

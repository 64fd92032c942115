using System.Net;
using System.Text.RegularExpressions;

namespace Rag.Api.Startup;

/// <summary>
/// With authentication off, every address the service would listen on is narrowed to loopback:
/// an unauthenticated service must not be reachable from the network by accident.
/// </summary>
internal static partial class LoopbackBinding
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>The URLs to listen on: as configured, or narrowed to loopback when <paramref name="authEnabled"/> is false.</summary>
    public static string[] Resolve(string? configured, bool authEnabled)
    {
        var urls = (string.IsNullOrWhiteSpace(configured) ? DefaultUrl : configured)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return authEnabled ? urls : urls.Select(ToLoopback).Distinct().ToArray();
    }

    internal static string ToLoopback(string url)
    {
        var match = Url().Match(url);
        if (!match.Success)
            return url;
        var host = match.Groups["host"].Value;
        var loopback = host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
        return loopback ? url : $"{match.Groups["scheme"].Value}://127.0.0.1{match.Groups["rest"].Value}";
    }

    [GeneratedRegex(@"^(?<scheme>[a-zA-Z]+)://(?<host>\[[^\]]*\]|[^:/]+)(?<rest>.*)$")]
    private static partial Regex Url();
}

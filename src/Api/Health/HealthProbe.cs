namespace Rag.Api.Health;

/// <summary>
/// <c>Rag.Api healthcheck</c>: asks the local service's <c>/healthz</c> and exits 0 when healthy,
/// 1 otherwise — for container health checks in images without curl.
/// </summary>
internal static class HealthProbe
{
    public static async Task<int> RunAsync(IConfiguration configuration)
    {
        var url = (configuration["urls"] ?? "http://127.0.0.1:8080").Split(';')[0]
            .Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)
            .Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("[::]", "127.0.0.1", StringComparison.Ordinal);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await client.GetAsync(new Uri(new Uri(url), "/healthz"));
            Console.WriteLine($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            Console.WriteLine($"unhealthy: {e.Message}");
            return 1;
        }
    }
}

using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Rag.Api.Tests;

/// <summary>/metrics: Prometheus text with the service's own figures next to ASP.NET Core's, for admin keys only.</summary>
[Collection(ServiceCollection.Name)]
public sealed partial class MetricsEndpointTests(ServiceFixture service)
{
    [Fact]
    public async Task After_traffic_metrics_hold_request_and_compression_figures_in_prometheus_text()
    {
        using var client = service.Admin();
        var body = """{"context": "One two three four five six seven eight nine ten eleven twelve.", "question": "q", "rate": 0.5, "method": "truncate"}""";
        (await client.PostAsync("/v1/compress", new StringContent(body, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        var response = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var samples = Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(samples, s => s.Name == "http_server_request_duration_seconds_count" && s.Labels.Contains("http_route=\"/v1/compress\"", StringComparison.Ordinal) && s.Value >= 1);
        Assert.Contains(samples, s => s.Name == "rag_compression_tokens_total" && s.Labels.Contains("kind=\"origin\"", StringComparison.Ordinal)
            && s.Labels.Contains("method=\"truncate\"", StringComparison.Ordinal) && s.Value > 0);
        Assert.Contains(samples, s => s.Name == "rag_compression_duration_seconds_count" && s.Value >= 1);
    }

    [Fact]
    public Task Metrics_refuse_a_request_without_a_key_and_a_key_that_is_not_admin() =>
        AdminOnly.AssertRefusedAsync(service, "/metrics", "rag_");

    /// <summary>The samples of Prometheus's text format: <c>name{labels} value</c>, comments skipped; a line that is neither fails.</summary>
    private static List<(string Name, string Labels, double Value)> Parse(string text)
    {
        var samples = new List<(string, string, double)>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var match = Sample().Match(line);
            Assert.True(match.Success, $"not a Prometheus sample: {line}");
            samples.Add((match.Groups["name"].Value, match.Groups["labels"].Value,
                double.Parse(match.Groups["value"].Value.Replace("+Inf", "Infinity", StringComparison.Ordinal), CultureInfo.InvariantCulture)));
        }

        return samples;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$")]
    private static partial Regex Sample();
}

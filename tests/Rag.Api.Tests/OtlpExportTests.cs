using System.Net;
using System.Net.Sockets;
using System.Text;
using Rag.Tests.Shared;

namespace Rag.Api.Tests;

/// <summary>
/// With OTEL_EXPORTER_OTLP_ENDPOINT set, the running service sends its traces — requests and Rag's own spans —
/// to the collector over OTLP (HTTP + protobuf), received here by a loopback listener standing in for one.
/// </summary>
[Trait("Tier", "Process")]
public sealed class OtlpExportTests
{
    [Fact]
    public async Task The_service_exports_its_own_spans_to_an_otlp_collector()
    {
        var port = FreePort();
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        var received = new StringBuilder();
        var receiving = Task.Run(async () =>
        {
            while (collector.IsListening)
            {
                HttpListenerContext context;
                try { context = await collector.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                // Protobuf keeps strings as UTF-8 bytes: span names and attribute keys are readable in the payload.
                lock (received)
                    received.Append(context.Request.Url!.AbsolutePath).Append(' ').Append(Encoding.UTF8.GetString(body.ToArray())).Append('\n');
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });

        await using var server = await RagServer.StartAsync(new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        });
        using var client = server.Client();
        await client.IngestAsync("traced", "harbour.md", Documents.Utf8(Documents.HandbookMarkdown));
        await client.PostJsonAsync("/v1/collections/traced/ask", new { question = "When was the lighthouse built?" });

        string Received() { lock (received) return received.ToString(); }
        // Wait for everything asserted below: metric names ("rag.ask.duration") arrive on their own schedule and
        // contain span names, so waiting for the span names alone can stop before the spans' batch is exported.
        string[] expected = ["/v1/traces", "/v1/metrics", "rag.ask", "rag.retrieve", "rag.select", "rag.ingest", "rag.ingest.embed", "rag.tokens.retrieved", "/v1/collections/{collection}/ask"];
        await Eventually.TrueAsync(() => expected.All(e => Received().Contains(e, StringComparison.Ordinal)), "every span and metric to reach the collector", TimeSpan.FromSeconds(30));

        var payload = Received();
        foreach (var span in expected)
            Assert.Contains(span, payload, StringComparison.Ordinal);
        // Figures, never text: the question does not travel to the collector.
        Assert.DoesNotContain("When was the lighthouse built?", payload, StringComparison.Ordinal);

        collector.Stop();
        await receiving;
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}

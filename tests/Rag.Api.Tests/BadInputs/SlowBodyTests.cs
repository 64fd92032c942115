using System.Net.Sockets;
using System.Text;

namespace Rag.Api.Tests.BadInputs;

/// <summary>A body that stops arriving gets 408 on every endpoint that reads one — not a misleading "body required".</summary>
[Trait("Tier", "Process")]
public sealed class SlowBodyTests(HostileFixture service) : IClassFixture<HostileFixture>
{
    [Theory]
    [InlineData("/v1/collections/hostile/documents", "application/json")]
    [InlineData("/v1/collections/hostile/documents", "multipart/form-data; boundary=XYZ")]
    [InlineData("/v1/chat/completions", "application/json")]
    [InlineData("/v1/collections/hostile/search", "application/json")]
    public async Task A_body_that_stalls_gets_408(string path, string contentType)
    {
        var server = service.Server.BaseAddress;
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        await using var stream = client.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nAuthorization: Bearer {HostileFixture.KeyA}\r\nContent-Type: {contentType}\r\nContent-Length: 100000\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + (contentType.StartsWith("multipart", StringComparison.Ordinal) ? "--XYZ\r\n" : "{\"text\": \"")));

        // Kestrel's minimum data rate (240 bytes/s after a 5 s grace) ends the wait; the answer is read as it comes.
        using var read = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await stream.CopyToAsync(read, timeout.Token);
        }
        catch (IOException) when (read.Length > 0)
        {
        }

        var answer = Encoding.UTF8.GetString(read.ToArray());
        Assert.StartsWith("HTTP/1.1 408", answer, StringComparison.Ordinal);
        BadInputCorpusTests.AssertNothingInternal(answer);
    }
}

using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Rag.Api.Tests.BadInputs;

/// <summary>
/// HTTP/1.1 over a bare socket: sends exactly the bytes given (invalid UTF-8, broken chunked framing,
/// multipart cut short — what HttpClient will not send) and reads the answer until the server closes.
/// </summary>
internal static class RawHttp
{
    public sealed record Response(int Status, IReadOnlyDictionary<string, string> Headers, string Body);

    public static async Task<Response> SendAsync(Uri server, string method, string path, IReadOnlyDictionary<string, string> headers, byte[]? body)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        await using var stream = client.GetStream();
        var head = new StringBuilder($"{method} {path} HTTP/1.1\r\nHost: {server.Authority}\r\nConnection: close\r\n");
        foreach (var (name, value) in headers)
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        if (body is not null && !headers.ContainsKey("Transfer-Encoding"))
            head.Append("Content-Length: ").Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        if (body is not null)
        {
            try
            {
                await stream.WriteAsync(body);
            }
            catch (IOException)
            {
                // The server may answer (413) and close before the whole body is sent.
            }
        }

        using var read = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await stream.CopyToAsync(read, timeout.Token);
        }
        catch (IOException) when (read.Length > 0)
        {
            // A reset after the answer (the server closed with body bytes unread).
        }

        return Parse(read.ToArray());
    }

    private static Response Parse(byte[] raw)
    {
        var end = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0)
            throw new InvalidOperationException($"No HTTP answer: '{Encoding.UTF8.GetString(raw)}'");
        var lines = Encoding.ASCII.GetString(raw, 0, end).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var body = raw.AsSpan(end + 4).ToArray();
        if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            body = Unchunk(body);
        return new Response(status, headers, Encoding.UTF8.GetString(body));
    }

    private static byte[] Unchunk(byte[] body)
    {
        using var result = new MemoryStream();
        var at = 0;
        while (at < body.Length)
        {
            var line = body.AsSpan(at).IndexOf("\r\n"u8);
            if (line < 0)
                break;
            var size = int.Parse(Encoding.ASCII.GetString(body, at, line).Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
                break;
            var start = at + line + 2;
            result.Write(body, start, Math.Min(size, body.Length - start));
            at = start + size + 2;
        }

        return result.ToArray();
    }
}

using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Rag.Api.Tests.BadInputs;

/// <summary>
/// Replays <c>corpus.jsonl</c> — requests a hostile or careless client sends — against the running service:
/// each gets its expected status, never a 5xx, an error body in the endpoint's shape that names the field
/// at fault, and nothing internal (exception text, type names, paths, parser positions).
/// </summary>
[Trait("Tier", "Process")]
public sealed partial class BadInputCorpusTests(HostileFixture service) : IClassFixture<HostileFixture>
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var line in File.ReadLines(CorpusPath).Where(l => l.Length > 0))
            data.Add(JsonNode.Parse(line)!["name"]!.GetValue<string>());
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_bad_request_gets_a_clear_4xx(string name)
    {
        var @case = File.ReadLines(CorpusPath).Select(l => JsonNode.Parse(l)!).Single(c => c["name"]!.GetValue<string>() == name);
        var headers = new Dictionary<string, string>();
        var key = @case["key"]?.GetValue<string>() ?? "a";
        if (key != "none")
            headers["Authorization"] = "Bearer " + (key == "b" ? HostileFixture.KeyB : HostileFixture.KeyA);
        if (@case["content_type"]?.GetValue<string>() is { } type)
            headers["Content-Type"] = type;
        foreach (var (header, value) in @case["headers"]?.AsObject() ?? [])
            headers[header] = value!.GetValue<string>();
        var body = @case["body"]?.GetValue<string>() is { } text ? Expand(text) : null;

        var response = await RawHttp.SendAsync(service.Server.BaseAddress, @case["method"]!.GetValue<string>(), @case["path"]!.GetValue<string>(), headers, body);

        var expected = @case["expect"]!.GetValue<int>();
        Assert.True(response.Status == expected, $"{name}: expected {expected}, got {response.Status}: {response.Body}");
        AssertNothingInternal(response.Body);
        // Kestrel answers malformed request lines and oversized headers before any of the service runs:
        // a status with no body, which no application can change (the corpus records the status).
        if (expected < 400 || @case["server_level"]?.GetValue<bool>() == true)
            return;
        Assert.False(string.IsNullOrWhiteSpace(response.Body), $"{name}: an error needs a body");
        var json = JsonNode.Parse(response.Body)!;
        var field = @case["field"]?.GetValue<string>();
        if (@case["shape"]?.GetValue<string>() == "openai")
        {
            Assert.False(string.IsNullOrWhiteSpace(json["error"]?["message"]?.GetValue<string>()), $"{name}: OpenAI's error shape: {response.Body}");
            if (field is not null)
                Assert.Equal(field, json["error"]!["param"]?.GetValue<string>());
        }
        else
        {
            Assert.StartsWith("application/problem+json", response.Headers["Content-Type"], StringComparison.Ordinal);
            Assert.Equal(expected, json["status"]!.GetValue<int>());
            if (field is not null)
                Assert.True(json["errors"]?.AsObject().ContainsKey(field) == true, $"{name}: errors name '{field}': {response.Body}");
        }

        if (expected == 413)
            Assert.Contains("Rag:", response.Body, StringComparison.Ordinal); // names the setting
    }

    /// <summary>Nothing in an answer tells how the service is built.</summary>
    internal static void AssertNothingInternal(string body)
    {
        foreach (var leak in new[] { "Exception", "   at ", "System.", "Microsoft.", ".cs:line", "LineNumber", "BytePositionInLine", "/tmp/", "/work/", "Rag.Engine", "Rag.Api" })
            Assert.DoesNotContain(leak, body, StringComparison.Ordinal);
    }

    private static string CorpusPath => Path.Combine(AppContext.BaseDirectory, "BadInputs", "corpus.jsonl");

    /// <summary>The corpus's notation: <c>{{xFF}}</c> is the byte 0xFF; <c>{{repeat:N:text}}</c> is text N times.</summary>
    private static byte[] Expand(string body)
    {
        var bytes = new List<byte>();
        var at = 0;
        foreach (Match match in Notation().Matches(body))
        {
            bytes.AddRange(Encoding.UTF8.GetBytes(body[at..match.Index]));
            if (match.Groups["hex"].Success)
                bytes.Add(Convert.ToByte(match.Groups["hex"].Value, 16));
            else
                bytes.AddRange(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(match.Groups["text"].Value, int.Parse(match.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture)))));
            at = match.Index + match.Length;
        }

        bytes.AddRange(Encoding.UTF8.GetBytes(body[at..]));
        return [.. bytes];
    }

    [GeneratedRegex(@"\{\{(x(?<hex>[0-9A-Fa-f]{2})|repeat:(?<count>\d+):(?<text>[^}]*))\}\}")]
    private static partial Regex Notation();
}

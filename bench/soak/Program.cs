using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

// A bounded mixed load on loopback against a real service process started here: uploads, search, ask,
// compress, chat completions and deletes from N concurrent clients for a fixed time. Reports errors
// (5xx, connection failures, unexpected statuses), latency per endpoint, refusals (429), and the
// service's RSS at start, after warm-up and at the end.
//
//   dotnet run -c Release --project bench/soak -- --minutes 10 --clients 4 --warmup 60
var options = Options.Parse(args);
var root = Rag.Bench.BenchArgs.Root();
var api = Path.Combine(root, "src", "Api", "bin", "Release", "net10.0", "Rag.Api.dll");
if (!File.Exists(api))
    throw new FileNotFoundException($"Build the service first: dotnet build -c Release src/Api ({api})");
var data = Path.Combine(Path.GetTempPath(), "rag-soak", Guid.NewGuid().ToString("N"));
using var service = Service.Start(api, data, root, options);
var baseAddress = await service.Listening.WaitAsync(TimeSpan.FromMinutes(2));
Console.WriteLine($"service {baseAddress} pid {service.Pid}, data {data}");

var stats = new Stats();
var rss = new List<(double Seconds, long Kb)>();
var clock = Stopwatch.StartNew();
var duration = TimeSpan.FromMinutes(options.Minutes);
var words = Words(root);
using var stop = new CancellationTokenSource(duration);
var sampler = Task.Run(async () =>
{
    while (!stop.IsCancellationRequested)
    {
        rss.Add((clock.Elapsed.TotalSeconds, Service.RssKb(service.Pid)));
        try { await Task.Delay(TimeSpan.FromSeconds(5), stop.Token); } catch (OperationCanceledException) { }
    }
});
var clients = Enumerable.Range(0, options.Clients).Select(i => Task.Run(() => ClientAsync(i))).ToArray();
await Task.WhenAll(clients);
await sampler;
rss.Add((clock.Elapsed.TotalSeconds, Service.RssKb(service.Pid)));
// Does memory come back when the load stops? Idle for 30 s, then sample again.
await Task.Delay(TimeSpan.FromSeconds(30));
var idleKb = Service.RssKb(service.Pid);

Report();
return stats.Errors == 0 ? 0 : 1;

async Task ClientAsync(int index)
{
    var random = new Random(index + 1);
    using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) };
    var mine = new List<string>();
    // Every client keeps a few documents of its own to ask about.
    for (var i = 0; i < 3; i++)
        await Upload(http, random, mine, index);
    while (!stop.IsCancellationRequested)
    {
        var roll = random.Next(100);
        var (name, call) = roll switch
        {
            < 10 => ("upload", (Func<Task<HttpResponseMessage>>)(() => Upload(http, random, mine, index))),
            < 35 => ("search", () => http.PostAsJsonAsync("/v1/collections/soak/search", new { query = Phrase(random, 3), top_k = 5 })),
            < 55 => ("ask", () => http.PostAsJsonAsync("/v1/collections/soak/ask", new { question = Phrase(random, 6) + "?", top_k = 4, max_tokens = 16, compression = new { rate = 0.5 } })),
            < 75 => ("compress", () => http.PostAsJsonAsync("/v1/compress", new { context = Paragraphs(random, 8), question = Phrase(random, 5) + "?", rate = 0.3 })),
            < 90 => ("chat", () => http.PostAsJsonAsync("/v1/chat/completions", new { max_tokens = 16, messages = new object[] { new { role = "system", content = Paragraphs(random, 4) }, new { role = "user", content = Phrase(random, 6) + "?" } } })),
            _ => ("delete", () => Delete(http, random, mine)),
        };
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await call();
            await response.Content.ReadAsByteArrayAsync();
            stats.Record(name, (int)response.StatusCode, watch.Elapsed, clock.Elapsed > TimeSpan.FromSeconds(options.Warmup));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
        {
            stats.Record(name, 0, watch.Elapsed, true, e.GetType().Name);
        }
        catch (TaskCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}

async Task<HttpResponseMessage> Upload(HttpClient http, Random random, List<string> mine, int index)
{
    var text = $"# Notes {index}-{random.Next()}\n\n{Paragraphs(random, 6)}";
    var response = await http.PostAsJsonAsync("/v1/collections/soak/documents", new { text, file_name = "notes.md" });
    if (response.StatusCode == HttpStatusCode.Accepted)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonNode>();
        mine.Add(body!["id"]!.GetValue<string>());
    }

    return response;
}

async Task<HttpResponseMessage> Delete(HttpClient http, Random random, List<string> mine)
{
    if (mine.Count <= 3)
        return await http.GetAsync("/v1/collections/soak/documents?limit=20");
    var id = mine[random.Next(mine.Count)];
    mine.Remove(id);
    return await http.DeleteAsync($"/v1/collections/soak/documents/{id}");
}

string Phrase(Random random, int count) => string.Join(' ', Enumerable.Range(0, count).Select(_ => words[random.Next(words.Length)]));

string Paragraphs(Random random, int count) => string.Join("\n\n", Enumerable.Range(0, count).Select(_ =>
    string.Join(' ', Enumerable.Range(0, 4).Select(_ => char.ToUpperInvariant(Phrase(random, 1)[0]) + Phrase(random, 12)[1..] + "."))));

void Report()
{
    var invariant = CultureInfo.InvariantCulture;
    Console.WriteLine();
    Console.WriteLine(string.Create(invariant, $"{options.Minutes} min, {options.Clients} clients, warm-up {options.Warmup} s{string.Concat(options.Environment.Select(e => ", " + e))}; requests after warm-up:"));
    Console.WriteLine("| endpoint | requests | errors | 429 | other 4xx | p50 ms | p99 ms | max ms |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|");
    foreach (var (name, s) in stats.ByEndpoint.OrderBy(p => p.Key, StringComparer.Ordinal))
        Console.WriteLine(string.Create(invariant, $"| {name} | {s.Count} | {s.Errors} | {s.Refused} | {s.ClientErrors} | {s.Percentile(0.5):0} | {s.Percentile(0.99):0} | {s.Percentile(1):0} |"));
    var start = rss.First().Kb;
    var warm = rss.FirstOrDefault(r => r.Seconds >= options.Warmup, rss[^1]).Kb;
    var end = rss[^1].Kb;
    Console.WriteLine(string.Create(invariant,
        $"\nRSS: start {start / 1024.0:0} MB, after warm-up {warm / 1024.0:0} MB, end {end / 1024.0:0} MB, max {rss.Max(r => r.Kb) / 1024.0:0} MB; growth after warm-up {(end - warm) * 100.0 / warm:0.0}%; after 30 s idle {idleKb / 1024.0:0} MB"));
    Console.WriteLine($"errors: {stats.Errors}" + (stats.ErrorSamples.Count > 0 ? " — " + string.Join("; ", stats.ErrorSamples.Take(5)) : ""));
    File.WriteAllText(Path.Combine(data, "..", $"soak-{DateTime.UtcNow:yyyyMMddHHmmss}.json"), JsonSerializer.Serialize(new
    {
        options.Minutes,
        options.Clients,
        rss = rss.Select(r => new { seconds = r.Seconds, mb = r.Kb / 1024.0 }),
        endpoints = stats.ByEndpoint.ToDictionary(p => p.Key, p => new { p.Value.Count, p.Value.Errors, p.Value.Refused, p50 = p.Value.Percentile(0.5), p99 = p.Value.Percentile(0.99) }),
    }));
}

static string[] Words(string root)
{
    var novel = Path.Combine(root, "..", "shared", "data", "niah-haystack", "pride_and_prejudice.txt");
    var text = File.Exists(novel) ? File.ReadAllText(novel) : File.ReadAllText(Path.Combine(root, "README.md"));
    return Regex.Matches(text, "[A-Za-z]{3,}").Select(m => m.Value.ToLowerInvariant()).Distinct().Take(20000).ToArray();
}

internal sealed record Options(double Minutes, int Clients, int Warmup, bool Encoder, IReadOnlyList<string> Environment)
{
    public static Options Parse(string[] args)
    {
        Rag.Bench.BenchArgs.Check(args, ["--minutes", "--clients", "--warmup", "--env"], ["--no-encoder"],
            "--minutes M --clients N --warmup S [--no-encoder] [--env NAME=VALUE]...");
        return new Options(
            Rag.Bench.BenchArgs.Double(args, "--minutes", 10),
            Rag.Bench.BenchArgs.Int(args, "--clients", 4),
            Rag.Bench.BenchArgs.Int(args, "--warmup", 60),
            !Rag.Bench.BenchArgs.Flag(args, "--no-encoder"),
            Rag.Bench.BenchArgs.All(args, "--env"));
    }
}

internal sealed class Stats
{
    private readonly Lock _lock = new();

    public Dictionary<string, Endpoint> ByEndpoint { get; } = [];

    public List<string> ErrorSamples { get; } = [];

    public int Errors => ByEndpoint.Values.Sum(e => e.Errors);

    public void Record(string name, int status, TimeSpan elapsed, bool afterWarmup, string? failure = null)
    {
        lock (_lock)
        {
            // Errors count from the start; latencies only after warm-up.
            if (!ByEndpoint.TryGetValue(name, out var endpoint))
                ByEndpoint[name] = endpoint = new Endpoint();
            if (status is 0 or >= 500)
            {
                endpoint.Errors++;
                if (ErrorSamples.Count < 20)
                    ErrorSamples.Add($"{name}: {(status == 0 ? failure : status.ToString(CultureInfo.InvariantCulture))}");
            }
            else if (status == 429)
            {
                endpoint.Refused++;
            }
            else if (status >= 400 && !(name == "delete" && status == 404))
            {
                endpoint.ClientErrors++;
                if (ErrorSamples.Count < 20)
                    ErrorSamples.Add($"{name}: unexpected {status}");
            }

            if (afterWarmup)
            {
                endpoint.Count++;
                endpoint.Milliseconds.Add(elapsed.TotalMilliseconds);
            }
        }
    }

    internal sealed class Endpoint
    {
        public int Count { get; set; }

        public int Errors { get; set; }

        public int Refused { get; set; }

        public int ClientErrors { get; set; }

        public List<double> Milliseconds { get; } = [];

        public double Percentile(double p)
        {
            if (Milliseconds.Count == 0)
                return 0;
            var sorted = Milliseconds.Order().ToList();
            return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1 < 0 ? 0 : (int)Math.Ceiling(p * sorted.Count) - 1)];
        }
    }
}

internal sealed partial class Service : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Service(Process process)
    {
        _process = process;
    }

    public Task<Uri> Listening => _listening.Task;

    public int Pid => _process.Id;

    public static Service Start(string api, string data, string root, Options options)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(api);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        start.Environment["Rag__DataPath"] = data;
        start.Environment["Rag__Models__Decoder__Path"] = Path.Combine(root, "models", "tiny-decoder");
        if (!options.Encoder)
            start.Environment["Rag__Models__Embedder__Name"] = "none";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var pair in options.Environment)
            start.Environment[pair[..pair.IndexOf('=', StringComparison.Ordinal)]] = pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..];
        var process = new Process { StartInfo = start };
        var service = new Service(process);
        process.OutputDataReceived += (_, e) => service.Line(e.Data);
        process.ErrorDataReceived += (_, e) => service.Line(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    public static long RssKb(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }

        return 0;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private void Line(string? line)
    {
        if (line is null)
            return;
        if (ListeningOn().Match(line) is { Success: true } match)
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        else if (line.Contains("fail", StringComparison.Ordinal) || line.Contains("crit", StringComparison.Ordinal))
            Console.Error.WriteLine("service: " + line);
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();
}

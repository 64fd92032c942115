using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Rag.Tests.Shared;

namespace Rag.Api.Tests.BadInputs;

/// <summary>Model work is admitted in bounded numbers, and work whose client has gone stops.</summary>
[Trait("Tier", "Process")]
public sealed class AdmissionTests(HostileFixture service) : IClassFixture<HostileFixture>
{
    [Fact]
    public async Task Generations_past_the_limit_get_429_with_retry_after_in_openais_shape()
    {
        // One generation at a time and one waiting (HostileFixture): a burst of twelve cannot all be admitted.
        using var client = service.Server.Client(HostileFixture.KeyA);
        var burst = Enumerable.Range(0, 12).Select(i => client.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "local",
            max_tokens = 64,
            temperature = 1.0,
            seed = i,
            messages = new[] { new { role = "user", content = $"Tell me about the harbour beacon, part {i}." } },
        }));
        var responses = await Task.WhenAll(burst);

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"{r.StatusCode}"));
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var response in refused)
        {
            Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "Retry-After in seconds");
            var error = (await response.JsonAsync())["error"]!;
            Assert.Equal("rate_limit_exceeded", error["code"].Text());
            Assert.Contains("Rag:Limits:Generation", error["message"].Text(), StringComparison.Ordinal);
        }

        // Nothing is left holding a slot: the next request is admitted.
        var next = await client.PostAsJsonAsync("/v1/chat/completions", new { max_tokens = 4, messages = new[] { new { role = "user", content = "hi" } } });
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task A_client_that_goes_away_stops_its_work()
    {
        // Segment compression of ~90k characters scores every segment with the decoder: seconds of work.
        using var client = service.Server.Client(HostileFixture.KeyA);
        var context = string.Join(' ', Enumerable.Range(0, 1800).Select(i => $"Ledger line {i} records {i % 13} crates for pier {i % 7}."));
        var before = Abandoned();
        using (var gone = new CancellationTokenSource())
        {
            // The client goes away a moment after the whole request has reached the service (not before it is
            // sent, which a loaded machine could otherwise make happen).
            var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var body = new SignallingContent(JsonContent.Create(new { context, question = "Which pier?", method = "segment", rate = 0.2 }), sent);
            var post = client.PostAsync("/v1/compress", body, gone.Token);
            await sent.Task.WaitAsync(TimeSpan.FromSeconds(60));
            gone.CancelAfter(TimeSpan.FromMilliseconds(250));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => post);
        }

        // The service counts the request as abandoned once its work has unwound — well before the work
        // would have ended by itself.
        await Eventually.TrueAsync(() => Abandoned() > before, "the abandoned compression to be cancelled");
        var small = await client.PostJsonAsync("/v1/compress", new { context = "The storm came at dawn. The keeper slept.", question = "When?" });
        Assert.True(small["compressed_tokens"]!.GetValue<int>() > 0);
    }

    private int Abandoned() => service.Server.Log.Split('\n').Count(l => l.Contains("/v1/compress", StringComparison.Ordinal) && l.Contains("abandoned by its client", StringComparison.Ordinal));

    /// <summary>A request body that says when it has been written to the connection.</summary>
    private sealed class SignallingContent : HttpContent
    {
        private readonly HttpContent _inner;
        private readonly TaskCompletionSource _sent;

        public SignallingContent(HttpContent inner, TaskCompletionSource sent)
        {
            (_inner, _sent) = (inner, sent);
            foreach (var header in inner.Headers)
                Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await _inner.CopyToAsync(stream);
            await stream.FlushAsync();
            _sent.TrySetResult();
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}

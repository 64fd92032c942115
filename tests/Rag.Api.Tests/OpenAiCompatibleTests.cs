using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using Rag.Client;
using Rag.Extensions.AI;
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AiChatRole = Microsoft.Extensions.AI.ChatRole;

namespace Rag.Api.Tests;

/// <summary>
/// Two real instances on loopback: an upstream answering with the fixture decoder (compression off,
/// so what it is sent is what it counts), and a proxy with no model that compresses and forwards to it.
/// </summary>
public sealed class OpenAiFixture : IAsyncLifetime
{
    public const string UpstreamKey = "upstream-key-0123456789abcdef";
    public const string ProxyKey = "proxy-key-0123456789abcdef";

    /// <summary>The fixture decoder is a completion model trained to copy after "... is": no chat markers.</summary>
    public static readonly IReadOnlyDictionary<string, string> PlainChatFormat = new Dictionary<string, string>
    {
        ["Rag:OpenAI:ChatFormat:SystemPrefix"] = "",
        ["Rag:OpenAI:ChatFormat:UserPrefix"] = "",
        ["Rag:OpenAI:ChatFormat:AnswerPrefix"] = "",
        ["Rag:OpenAI:ChatFormat:Separator"] = " ",
    };

    public IServiceUnderTest Upstream { get; private set; } = null!;

    public IServiceUnderTest Proxy { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Upstream = await InProcessService.StartAsync(new Dictionary<string, string>
        {
            ["Auth:ApiKeys:0:Name"] = "upstream",
            ["Auth:ApiKeys:0:Key"] = UpstreamKey,
            ["Auth:ApiKeys:0:Collections:0"] = "*",
            ["Rag:Models:Decoder:Path"] = Path.Combine(ModelServiceFixture.Models, "tiny-decoder"),
            ["Rag:Generation:MaxTokens"] = "16",
            ["Rag:OpenAI:Compression:Enabled"] = "false",
        }.Concat(PlainChatFormat).ToDictionary());
        Proxy = await InProcessService.StartAsync(new Dictionary<string, string>
        {
            ["Auth:ApiKeys:0:Name"] = "proxy",
            ["Auth:ApiKeys:0:Key"] = ProxyKey,
            ["Auth:ApiKeys:0:Collections:0"] = "*",
            ["Rag:OpenAI:UpstreamUrl"] = new Uri(Upstream.BaseAddress, "v1").ToString(),
            ["Rag:OpenAI:UpstreamApiKey"] = UpstreamKey,
            ["Rag:OpenAI:Compression:MinTokens"] = "64",
            ["Rag:OpenAI:Compression:Rate"] = "0.3",
        });
    }

    public ChatClient OpenAiClient(IServiceUnderTest server, string key) =>
        new("any-model", new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "v1") });

    public async Task DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}

public sealed class OpenAiCompatibleTests(OpenAiFixture service) : IClassFixture<OpenAiFixture>
{
    private const string Question = "What is the pass key? The pass key is";

    [Fact]
    public async Task The_official_OpenAI_client_gets_the_same_answer_streaming_and_not()
    {
        var client = service.OpenAiClient(service.Upstream, OpenAiFixture.UpstreamKey);
        List<OpenAI.Chat.ChatMessage> messages = [new SystemChatMessage("The pass key is 71432. Remember it. 71432 is the pass key."), new UserChatMessage(Question)];

        ChatCompletion completion = await client.CompleteChatAsync(messages);
        var streamed = new StringBuilder();
        OpenAI.Chat.ChatFinishReason? finish = null;
        await foreach (var update in client.CompleteChatStreamingAsync(messages))
        {
            foreach (var part in update.ContentUpdate)
                streamed.Append(part.Text);
            finish ??= update.FinishReason;
        }

        Assert.StartsWith("tiny-decoder@", completion.Model, StringComparison.Ordinal);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        // The fixture decoder's words are not an answer worth checking (models/README.md); that it wrote some is.
        Assert.False(string.IsNullOrWhiteSpace(completion.Content[0].Text));
        Assert.True(completion.Usage.InputTokenCount > 10);
        Assert.InRange(completion.Usage.OutputTokenCount, 1, 16);
        Assert.Equal(completion.Content[0].Text, streamed.ToString().Trim());
        Assert.Equal(completion.FinishReason, finish);
    }

    [Fact]
    public async Task Errors_come_in_openais_shape_naming_the_parameter()
    {
        using var http = new HttpClient { BaseAddress = service.Upstream.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", OpenAiFixture.UpstreamKey);

        foreach (var (body, param) in new[]
        {
            ("""{"model":"m"}""", "messages"),
            ("""{"messages":[{"role":"wizard","content":"hi"}]}""", "messages[0].role"),
            ("""{"messages":[{"role":"user","content":"hi"}],"temperature":5}""", "temperature"),
            ("""{"messages":[{"role":"user","content":"hi"}],"max_tokens":"ten"}""", "max_tokens"),
            ("""{"messages":[{"role":"user","content":"hi"}],"n":3}""", "n"),
        })
        {
            using var response = await http.PostAsync("v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
            Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
            Assert.Equal(param, error["param"]!.GetValue<string>());
            Assert.False(string.IsNullOrWhiteSpace(error["message"]!.GetValue<string>()));
        }

        var refused = await Assert.ThrowsAsync<ClientResultException>(() =>
            service.OpenAiClient(service.Upstream, "wrong-key-0123456789abcdef").CompleteChatAsync([new UserChatMessage("hi")]));
        Assert.Equal(401, refused.Status);
        Assert.Contains("invalid_api_key", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Proxy_mode_compresses_forwards_and_returns_the_upstreams_answer_with_the_figures()
    {
        var longContext = LongContext();
        var body = new JsonObject
        {
            ["model"] = "whatever",
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "system", ["content"] = longContext },
                new JsonObject { ["role"] = "user", ["content"] = Question }),
        };
        using var http = new HttpClient { BaseAddress = service.Proxy.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", OpenAiFixture.ProxyKey);

        using var response = await http.PostAsync("v1/chat/completions", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var answer = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The proxy has no model: the answer can only have come from the upstream's decoder.
        Assert.StartsWith("tiny-decoder@", answer["model"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("true", Header(response, "x-rag-upstream"));
        var origin = int.Parse(Header(response, "x-rag-origin-tokens"), System.Globalization.CultureInfo.InvariantCulture);
        var compressed = int.Parse(Header(response, "x-rag-compressed-tokens"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("1", Header(response, "x-rag-messages-compressed"));
        Assert.True(compressed < origin * 0.6, $"{compressed} of {origin} tokens");

        // What the upstream saw was the compressed request: its prompt is far shorter than the original.
        var direct = await service.OpenAiClient(service.Upstream, OpenAiFixture.UpstreamKey)
            .CompleteChatAsync([new SystemChatMessage(longContext), new UserChatMessage(Question)]);
        Assert.True(answer["usage"]!["prompt_tokens"]!.GetValue<int>() < direct.Value.Usage.InputTokenCount * 0.6);

        // Streaming goes through the proxy as well, with the same answer for a request it leaves alone.
        var viaProxy = new StringBuilder();
        await foreach (var update in service.OpenAiClient(service.Proxy, OpenAiFixture.ProxyKey).CompleteChatStreamingAsync([new UserChatMessage(Question)]))
        {
            foreach (var part in update.ContentUpdate)
                viaProxy.Append(part.Text);
        }

        ChatCompletion upstreamAnswer = await service.OpenAiClient(service.Upstream, OpenAiFixture.UpstreamKey).CompleteChatAsync([new UserChatMessage(Question)]);
        Assert.Equal(upstreamAnswer.Content[0].Text, viaProxy.ToString().Trim());
    }

    [Fact]
    public async Task The_middleware_compresses_long_messages_in_front_of_a_real_chat_client()
    {
        IChatClient inner = service.OpenAiClient(service.Upstream, OpenAiFixture.UpstreamKey).AsIChatClient();
        var compressor = new RemoteContextCompressor(new RagClient(new HttpClient { BaseAddress = service.Upstream.BaseAddress }, OpenAiFixture.UpstreamKey));
        using var client = new ChatClientBuilder(inner).UseContextCompression(compressor, o =>
        {
            o.MinTokens = 64;
            o.Rate = 0.3;
            o.Method = Rag.Compression.CompressionMethod.Segment; // the method whose per-segment work is cached
        }).Build();
        List<AiChatMessage> messages = [new(AiChatRole.System, LongContext()), new(AiChatRole.User, Question)];

        var plain = await inner.GetResponseAsync(messages);
        var response = await client.GetResponseAsync(messages);

        var properties = response.AdditionalProperties!;
        var origin = (int)properties[ContextCompressingChatClient.OriginTokensKey]!;
        var compressedTokens = (int)properties[ContextCompressingChatClient.CompressedTokensKey]!;
        Assert.Equal(1, properties[ContextCompressingChatClient.MessagesCompressedKey]);
        Assert.True(compressedTokens < origin * 0.6, $"{compressedTokens} of {origin} tokens");
        Assert.True(response.Usage!.InputTokenCount < plain.Usage!.InputTokenCount * 0.6,
            $"the inner client was sent {response.Usage.InputTokenCount} tokens, {plain.Usage.InputTokenCount} without the middleware");
        Assert.Equal(Question, messages[1].Text);

        // The same long message again: its segments are cache reads at the compressor.
        var again = await client.GetResponseAsync(messages);
        Assert.True((int)again.AdditionalProperties![ContextCompressingChatClient.CacheHitsKey]! > 0);

        var first = true;
        await foreach (var update in client.GetStreamingResponseAsync(messages))
        {
            if (first)
                Assert.Equal(compressedTokens, update.AdditionalProperties![ContextCompressingChatClient.CompressedTokensKey]);
            first = false;
        }

        Assert.False(first);
    }

    [Fact]
    public async Task Models_are_listed_locally_and_through_the_proxy()
    {
        var models = new OpenAI.Models.OpenAIModelClient(new ApiKeyCredential(OpenAiFixture.UpstreamKey), new OpenAIClientOptions { Endpoint = new Uri(service.Upstream.BaseAddress, "v1") });
        var viaProxy = new OpenAI.Models.OpenAIModelClient(new ApiKeyCredential(OpenAiFixture.ProxyKey), new OpenAIClientOptions { Endpoint = new Uri(service.Proxy.BaseAddress, "v1") });

        var listed = (await models.GetModelsAsync()).Value;
        var proxied = (await viaProxy.GetModelsAsync()).Value;

        var model = Assert.Single(listed);
        Assert.StartsWith("tiny-decoder@", model.Id, StringComparison.Ordinal);
        Assert.Equal(model.Id, Assert.Single(proxied).Id);
    }

    [Fact]
    public async Task The_middleware_takes_its_compressor_from_the_services()
    {
        IChatClient inner = service.OpenAiClient(service.Upstream, OpenAiFixture.UpstreamKey).AsIChatClient();
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        // Rag's compressor in this process, with no decoder: auto falls back to truncation.
        var tokenizer = Microsoft.ML.Tokenizers.TiktokenTokenizer.CreateForEncoding("cl100k_base");
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<IContextCompressor>(services, new InProcessContextCompressor(
            new Rag.Compression.PromptCompressor(tokenizer, null, null, new NoCache(), new Rag.Compression.CompressorOptions())));
        using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        using var client = new ChatClientBuilder(inner).UseContextCompression(o => o.MinTokens = 64).Build(provider);

        var response = await client.GetResponseAsync([new(AiChatRole.System, LongContext()), new(AiChatRole.User, Question)]);

        Assert.Equal(1, response.AdditionalProperties![ContextCompressingChatClient.MessagesCompressedKey]);
        Assert.True((int)response.AdditionalProperties[ContextCompressingChatClient.CompressedTokensKey]! < (int)response.AdditionalProperties[ContextCompressingChatClient.OriginTokensKey]!);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatClientBuilder(inner).UseContextCompression(o => o.Rate = 1.5));
    }

    [Fact]
    public async Task The_middleware_keeps_marked_spans_and_the_question_intact()
    {
        IChatClient inner = service.OpenAiClient(service.Upstream, OpenAiFixture.UpstreamKey).AsIChatClient();
        var compressor = new RemoteContextCompressor(new RagClient(new HttpClient { BaseAddress = service.Upstream.BaseAddress }, OpenAiFixture.UpstreamKey));
        List<AiChatMessage> sent = [];
        using var client = new ChatClientBuilder(inner)
            .UseContextCompression(compressor, o => { o.MinTokens = 64; o.Rate = 0.2; })
            .Use((messages, options, next, cancellationToken) =>
            {
                sent.AddRange(messages);
                return next(messages, options, cancellationToken);
            })
            .Build();
        var context = LongContext();
        var marked = context[..(context.Length / 2)] + "<keep>Order QX-7731 ships on Monday from pier four.</keep> " + context[(context.Length / 2)..];

        await client.GetResponseAsync([new(AiChatRole.System, marked), new(AiChatRole.User, Question)]);

        Assert.Contains("Order QX-7731 ships on Monday from pier four.", sent[0].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<keep>", sent[0].Text, StringComparison.Ordinal);
        Assert.True(sent[0].Text.Length < marked.Length / 2);
        Assert.Equal(Question, sent[1].Text);
    }

    private sealed class NoCache : Rag.Compression.Ports.ISegmentCache
    {
        public Task<byte[]?[]> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken) => Task.FromResult(new byte[]?[keys.Count]);

        public Task SetManyAsync(IReadOnlyList<KeyValuePair<string, byte[]>> entries, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [Fact]
    public async Task Without_a_model_or_with_an_upstream_down_the_error_says_so_in_openais_shape()
    {
        await using var noModel = await InProcessService.StartAsync();
        await using var deadUpstream = await InProcessService.StartAsync(new Dictionary<string, string> { ["Rag:OpenAI:UpstreamUrl"] = "http://127.0.0.1:9/v1" });
        var body = """{"messages":[{"role":"user","content":"hi"}]}""";

        foreach (var (server, status, code) in new[] { (noModel, HttpStatusCode.ServiceUnavailable, "model_not_available"), (deadUpstream, HttpStatusCode.BadGateway, "upstream_unavailable") })
        {
            using var http = server.Client();
            using var response = await http.PostAsync("v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(status, response.StatusCode);
            var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
            Assert.Equal(code, error["code"]!.GetValue<string>());
            Assert.Equal("server_error", error["type"]!.GetValue<string>());
        }
    }

    private static string Header(HttpResponseMessage response, string name) => response.Headers.GetValues(name).Single();

    /// <summary>About 1,500 tokens of harbour prose with the pass key in the middle.</summary>
    private static string LongContext()
    {
        var text = new StringBuilder();
        var random = new Random(17);
        string[] words = ["harbour", "tide", "pier", "vessel", "lantern", "rope", "anchor", "gull", "current", "fog", "keel", "mast"];
        for (var sentence = 0; sentence < 120; sentence++)
        {
            if (sentence == 60)
                text.Append("The pass key is 71432. Remember it. 71432 is the pass key. ");
            text.AppendJoin(' ', Enumerable.Range(0, 10).Select(_ => words[random.Next(words.Length)])).Append(". ");
        }

        return text.ToString();
    }
}

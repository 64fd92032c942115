using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rag.Compression;
using Rag.Engine.Admission;
using Rag.Engine.Models;
using Rag.Extensions.AI;

namespace Rag.Api.OpenAi;

/// <summary>
/// <c>POST /v1/chat/completions</c>, OpenAI-compatible (streaming and not): long messages are
/// compressed first (the last user message, the question, never), then the local ONNX decoder
/// answers — or, in proxy mode, the request goes to the upstream server set in
/// <c>Rag:OpenAI:UpstreamUrl</c> and its answer comes back as it is. Compression figures travel in
/// <c>x-rag-*</c> response headers. Errors are in OpenAI's shape.
/// </summary>
internal static partial class ChatCompletionsApi
{
    public const string UpstreamClient = "openai-upstream";

    public static IEndpointRouteBuilder MapChatCompletionsApi(this IEndpointRouteBuilder app)
    {
        // The same key check as every endpoint; the refusal in OpenAI's shape.
        var openAi = app.MapGroup("/v1").WithTags("OpenAI-compatible").RequireApiKey(() => OpenAiErrors.Error(StatusCodes.Status401Unauthorized, "invalid_request_error", null,
            "Incorrect or missing API key: send 'Authorization: Bearer <key>' with a key configured in Auth:ApiKeys.", "invalid_api_key"));
        openAi.MapPost("/chat/completions", HandleAsync).WithName("CreateChatCompletion")
            .WithSummary("OpenAI-compatible chat completions: compressed, then answered by the local decoder or forwarded upstream")
            .Accepts<JsonObject>("application/json")
            // Answered here, a completion holds a KV cache; forwarded, only compression runs here.
            .RequireAdmission(http => string.IsNullOrWhiteSpace(http.RequestServices.GetRequiredService<IOptions<OpenAiOptions>>().Value.UpstreamUrl)
                ? WorkKind.Generation
                : WorkKind.Compression);
        openAi.MapGet("/models", ListModelsAsync).WithName("ListModels")
            .WithSummary("OpenAI-compatible model list: the local decoder, or the upstream's list in proxy mode");
        return app;
    }

    private static async Task ListModelsAsync(HttpContext context, IOptions<OpenAiOptions> openAi, IHttpClientFactory clients, CancellationToken cancellationToken)
    {
        var generator = context.RequestServices.GetService<ITextGenerator>(); // null: no local model
        var options = openAi.Value;
        if (!string.IsNullOrWhiteSpace(options.UpstreamUrl))
        {
            using var upstream = new HttpRequestMessage(HttpMethod.Get, options.UpstreamUrl.TrimEnd('/') + "/models");
            if (!string.IsNullOrEmpty(options.UpstreamApiKey))
                upstream.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.UpstreamApiKey);
            try
            {
                using var response = await clients.CreateClient(UpstreamClient).SendAsync(upstream, cancellationToken);
                context.Response.StatusCode = (int)response.StatusCode;
                context.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/json";
                await response.Content.CopyToAsync(context.Response.Body, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                LogUpstreamFailed(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ChatCompletionsApi).FullName!), e);
                await OpenAiErrors.Error(StatusCodes.Status502BadGateway, "server_error", null, "The upstream server did not answer; the service log has the reason.", "upstream_unavailable").ExecuteAsync(context);
            }

            return;
        }

        var data = new JsonArray();
        if (generator is { } decoder)
            data.Add(new JsonObject { ["id"] = decoder.ModelId, ["object"] = "model", ["created"] = 0, ["owned_by"] = "rag" });
        await Results.Json(new JsonObject { ["object"] = "list", ["data"] = data }).ExecuteAsync(context);
    }

    private static async Task HandleAsync(HttpContext context, IOptions<OpenAiOptions> openAi, PromptCompressor compressor,
        IOptions<RagOptions> rag, IHttpClientFactory clients, CancellationToken cancellationToken)
    {
        var generator = context.RequestServices.GetService<ITextGenerator>(); // null: no local model
        ChatRequest request;
        try
        {
            request = ChatRequest.Parse(await ReadJsonAsync(context, cancellationToken), rag.Value.Limits.MaxOutputTokens);
        }
        catch (OpenAiRequestException e)
        {
            await OpenAiErrors.Invalid(e.Param, e.Message, e.Code).ExecuteAsync(context);
            return;
        }

        var limit = rag.Value.Limits.MaxContextCharacters;
        if (request.Messages.Sum(m => (long)(m.Text?.Length ?? 0)) > limit)
        {
            await OpenAiErrors.Error(StatusCodes.Status413PayloadTooLarge, "invalid_request_error", "messages",
                $"The messages hold more than {limit} characters of text (Rag:Limits:MaxContextCharacters).", "request_too_large").ExecuteAsync(context);
            return;
        }

        var options = openAi.Value;
        var proxy = !string.IsNullOrWhiteSpace(options.UpstreamUrl);
        if (!proxy && generator is null)
        {
            await OpenAiErrors.Error(StatusCodes.Status503ServiceUnavailable, "server_error", "model",
                "No model answers here: configure Rag:Models:Decoder:Path for the local decoder, or Rag:OpenAI:UpstreamUrl for proxy mode.", "model_not_available").ExecuteAsync(context);
            return;
        }

        var figures = await CompressAsync(request, options.Compression, compressor, context.GetCaller().CacheScope(),
            context.RequestServices.GetRequiredService<ChatCompressionMetrics>(), cancellationToken);
        if (figures is not null)
            AddFigureHeaders(context.Response, figures);

        if (proxy)
            await ForwardAsync(context, request, options, clients, cancellationToken);
        else
            await GenerateAsync(context, request, generator!, rag.Value.Generation, options.ChatFormat, cancellationToken);
    }

    private static async Task<JsonNode?> ReadJsonAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            throw new OpenAiRequestException(null, "The request body must be JSON (Content-Type: application/json).");
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            // The parser's own words (line numbers, byte positions of its internals) stay out of the answer.
            throw new OpenAiRequestException(Problems.ApiProblems.DescribeJsonError(e).Field is var field && field != "body" ? field : null,
                "The request body is not valid JSON.");
        }
    }

    private static async Task<CompressionFigures?> CompressAsync(
        ChatRequest request, OpenAiCompressionOptions options, PromptCompressor compressor, string scope, ChatCompressionMetrics metrics, CancellationToken cancellationToken)
    {
        if (!options.Enabled)
            return null;
        var compressorOptions = new ContextCompressionOptions { Rate = options.Rate, Method = options.Method, MinTokens = options.MinTokens };
        var messages = new MessageCompressor(new InProcessContextCompressor(compressor, scope), compressorOptions, metrics);
        // Messages that are not plain text (images) are left out of compression as empty texts.
        var (texts, figures) = await messages.CompressAsync([.. request.Messages.Select(m => new MessageText(m.Role, m.Text ?? ""))], cancellationToken);
        for (var i = 0; i < texts.Count; i++)
        {
            if (request.Messages[i].Text is { } original && !ReferenceEquals(texts[i], original) && texts[i] != original)
            {
                request.Messages[i] = (request.Messages[i].Role, texts[i]);
                request.SetText(i, texts[i]);
            }
        }

        return figures;
    }

    private static void AddFigureHeaders(HttpResponse response, CompressionFigures figures)
    {
        var invariant = CultureInfo.InvariantCulture;
        response.Headers["x-rag-origin-tokens"] = figures.OriginTokens.ToString(invariant);
        response.Headers["x-rag-compressed-tokens"] = figures.CompressedTokens.ToString(invariant);
        response.Headers["x-rag-compression-ratio"] = figures.Ratio.ToString(invariant);
        response.Headers["x-rag-messages-compressed"] = figures.MessagesCompressed.ToString(invariant);
        response.Headers["x-rag-cache-hits"] = figures.CacheHits.ToString(invariant);
        response.Headers["x-rag-compression-ms"] = Math.Round(figures.ElapsedMs, 1).ToString(invariant);
    }

    private static async Task ForwardAsync(HttpContext context, ChatRequest request, OpenAiOptions options, IHttpClientFactory clients, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(options.UpstreamModel))
            request.Json["model"] = options.UpstreamModel;
        var client = clients.CreateClient(UpstreamClient);
        using var upstream = new HttpRequestMessage(HttpMethod.Post, options.UpstreamUrl!.TrimEnd('/') + "/chat/completions")
        {
            Content = new StringContent(request.Json.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (!string.IsNullOrEmpty(options.UpstreamApiKey))
            upstream.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.UpstreamApiKey);

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(upstream, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogUpstreamFailed(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ChatCompletionsApi).FullName!), e);
            await OpenAiErrors.Error(StatusCodes.Status502BadGateway, "server_error", null, "The upstream server did not answer; the service log has the reason.", "upstream_unavailable").ExecuteAsync(context);
            return;
        }

        using (response)
        {
            // The upstream's answer, status and body as they are (streamed through for SSE).
            context.Response.StatusCode = (int)response.StatusCode;
            context.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/json";
            context.Response.Headers["x-rag-upstream"] = "true";
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            await body.CopyToAsync(context.Response.Body, cancellationToken);
        }
    }

    private static async Task GenerateAsync(HttpContext context, ChatRequest request, ITextGenerator decoder, GenerationSettings settings, ChatFormatOptions format, CancellationToken cancellationToken)
    {
        var prompt = decoder.Encode(ChatPrompt.Format(request.Messages, format), addBos: true);
        var maxTokens = request.MaxTokens ?? settings.MaxTokens;
        if (prompt.Count >= decoder.MaxPositions)
        {
            await OpenAiErrors.Invalid("messages",
                $"The messages take {prompt.Count} tokens after compression; this model's context is {decoder.MaxPositions}.", "context_length_exceeded").ExecuteAsync(context);
            return;
        }

        var generation = new GenerationOptions(
            Math.Min(maxTokens, decoder.MaxPositions - prompt.Count),
            request.Temperature ?? settings.Temperature,
            request.TopP ?? settings.TopP,
            request.Seed,
            [.. request.Stop, .. format.Stop]);
        var id = "chatcmpl-" + Guid.NewGuid().ToString("N");
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (!request.Stream)
        {
            var text = new StringBuilder();
            GenerationChunk last = null!;
            await foreach (var chunk in decoder.GenerateAsync(prompt, generation, cancellationToken))
            {
                text.Append(chunk.Text);
                last = chunk;
            }

            await Results.Json(new JsonObject
            {
                ["id"] = id,
                ["object"] = "chat.completion",
                ["created"] = created,
                ["model"] = decoder.ModelId,
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text.ToString().Trim() },
                    ["finish_reason"] = last.FinishReason,
                }),
                ["usage"] = Usage(last.Stats!),
            }).ExecuteAsync(context);
            return;
        }

        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ChatCompletionsApi).FullName!);
        var events = EventStreams.EndingWithFailure(
            StreamChunks(decoder, prompt, generation, id, created, request.IncludeUsage, cancellationToken).Select(c => new SseItem<string>(c.ToJsonString())),
            // Headers are gone: the error travels as an event in OpenAI's error shape, then the stream ends.
            () => new SseItem<string>(OpenAiErrors.Body("server_error", null, "Generation failed; the service log has the reason.", null).ToJsonString()),
            e => LogGenerationFailed(logger, e),
            cancellationToken);
        await TypedResults.ServerSentEvents(events.Append(new SseItem<string>("[DONE]"))).ExecuteAsync(context);
    }

    /// <summary>OpenAI's chunks of a streamed completion: the role, the text as it comes, the finish reason, and usage when asked.</summary>
    private static async IAsyncEnumerable<JsonObject> StreamChunks(ITextGenerator decoder, IReadOnlyList<int> prompt, GenerationOptions generation, string id, long created,
        bool includeUsage, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return Chunk(id, created, decoder.ModelId, new JsonObject { ["role"] = "assistant", ["content"] = "" }, null);
        await foreach (var chunk in decoder.GenerateAsync(prompt, generation, cancellationToken))
        {
            if (chunk.Text.Length > 0)
                yield return Chunk(id, created, decoder.ModelId, new JsonObject { ["content"] = chunk.Text }, null);
            if (chunk.FinishReason is null)
                continue;
            yield return Chunk(id, created, decoder.ModelId, [], chunk.FinishReason);
            if (includeUsage)
            {
                var usage = Chunk(id, created, decoder.ModelId, [], null);
                usage["choices"] = new JsonArray();
                usage["usage"] = Usage(chunk.Stats!);
                yield return usage;
            }
        }
    }

    private static JsonObject Chunk(string id, long created, string model, JsonObject delta, string? finishReason) => new()
    {
        ["id"] = id,
        ["object"] = "chat.completion.chunk",
        ["created"] = created,
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finishReason }),
    };

    private static JsonObject Usage(GenerationStats stats) => new()
    {
        ["prompt_tokens"] = stats.PromptTokens,
        ["completion_tokens"] = stats.GeneratedTokens,
        ["total_tokens"] = stats.PromptTokens + stats.GeneratedTokens,
    };


    [LoggerMessage(EventId = ApiLogEvents.UpstreamFailed, Level = LogLevel.Warning, Message = "The OpenAI upstream did not answer")]
    private static partial void LogUpstreamFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = ApiLogEvents.ChatStreamFailed, Level = LogLevel.Error, Message = "A streamed chat completion failed after the response had started")]
    private static partial void LogGenerationFailed(ILogger logger, Exception exception);
}

/// <summary>How a conversation becomes the local decoder's prompt (<see cref="ChatFormatOptions"/>).</summary>
internal static class ChatPrompt
{
    public static string Format(IEnumerable<(string Role, string? Text)> messages, ChatFormatOptions format)
    {
        var turns = messages.Select(m => (m.Role switch
        {
            "system" => format.SystemPrefix,
            "assistant" => format.AssistantPrefix,
            "tool" => format.ToolPrefix,
            _ => format.UserPrefix,
        }) + m.Text);
        var prompt = string.Join(format.Separator, turns);
        return format.AnswerPrefix.Length == 0 ? prompt : prompt + format.Separator + format.AnswerPrefix;
    }
}

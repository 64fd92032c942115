using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using Rag.Engine.Models;

namespace Rag.Api.OpenAi;

/// <summary>Local mode: the ONNX decoder answers, whole or as OpenAI's stream of chunks.</summary>
internal static partial class ChatCompletionsApi
{
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

    [LoggerMessage(EventId = ApiLogEvents.ChatStreamFailed, Level = LogLevel.Error, Message = "A streamed chat completion failed after the response had started")]
    private static partial void LogGenerationFailed(ILogger logger, Exception exception);
}

using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Rag.Extensions.AI;

/// <summary>
/// An <see cref="IChatClient"/> middleware that compresses long message content (system, earlier user
/// messages, text tool results) to a fraction of its tokens before the inner client sees it. The last
/// user message — the question — is never compressed, and guides what is kept. The figures go into the
/// response's <see cref="ChatResponse.AdditionalProperties"/> (the first update's, when streaming) and
/// to the <c>Rag.Extensions.AI</c> meter.
/// </summary>
public sealed class ContextCompressingChatClient(IChatClient inner, MessageCompressor compressor) : DelegatingChatClient(inner)
{
    /// <summary>Keys of the figures in <see cref="AdditionalPropertiesDictionary"/>.</summary>
    public const string OriginTokensKey = "rag.compression.origin_tokens";
    /// <summary>Response property: tokens of the messages after compression.</summary>
    public const string CompressedTokensKey = "rag.compression.compressed_tokens";
    /// <summary>Response property: origin over compressed tokens.</summary>
    public const string RatioKey = "rag.compression.ratio";
    /// <summary>Response property: segments served from the compression cache.</summary>
    public const string CacheHitsKey = "rag.compression.cache_hits";
    /// <summary>Response property: how many messages were compressed.</summary>
    public const string MessagesCompressedKey = "rag.compression.messages_compressed";

    /// <inheritdoc/>
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (compressed, figures) = await CompressAsync(messages, cancellationToken);
        var response = await base.GetResponseAsync(compressed, options, cancellationToken);
        Attach(response.AdditionalProperties ??= [], figures);
        return response;
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (compressed, figures) = await CompressAsync(messages, cancellationToken);
        var first = true;
        await foreach (var update in base.GetStreamingResponseAsync(compressed, options, cancellationToken))
        {
            if (first)
            {
                Attach(update.AdditionalProperties ??= [], figures);
                first = false;
            }

            yield return update;
        }
    }

    private async Task<(List<ChatMessage> Messages, CompressionFigures Figures)> CompressAsync(IEnumerable<ChatMessage> messages, CancellationToken cancellationToken)
    {
        var list = messages.ToList();
        // Only messages that are pure text (or text tool results) are candidates; anything else passes as is.
        var texts = list.Select(m => new MessageText(m.Role.Value, TextOf(m) ?? "")).ToList();
        var (compressed, figures) = await compressor.CompressAsync(texts, cancellationToken);
        var result = new List<ChatMessage>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            if (ReferenceEquals(compressed[i], texts[i].Text) || TextOf(list[i]) is null)
            {
                result.Add(list[i]);
                continue;
            }

            var copy = list[i].Clone();
            copy.Contents = list[i].Contents.Any(c => c is FunctionResultContent)
                ? [.. list[i].Contents.OfType<FunctionResultContent>().Select(f => new FunctionResultContent(f.CallId, compressed[i]))]
                : [new TextContent(compressed[i])];
            result.Add(copy);
        }

        return (result, figures);
    }

    /// <summary>The message's text when it is only text (or a single text tool result); otherwise null.</summary>
    private static string? TextOf(ChatMessage message)
    {
        if (message.Contents.Count > 0 && message.Contents.All(c => c is TextContent))
            return string.Concat(message.Contents.OfType<TextContent>().Select(t => t.Text));
        if (message.Contents is [FunctionResultContent { Result: string result }])
            return result;
        return null;
    }

    private static void Attach(AdditionalPropertiesDictionary properties, CompressionFigures figures)
    {
        properties[OriginTokensKey] = figures.OriginTokens;
        properties[CompressedTokensKey] = figures.CompressedTokens;
        properties[RatioKey] = figures.Ratio;
        properties[CacheHitsKey] = figures.CacheHits;
        properties[MessagesCompressedKey] = figures.MessagesCompressed;
    }
}

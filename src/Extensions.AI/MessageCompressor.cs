using System.Diagnostics;
using Microsoft.ML.Tokenizers;
using Rag.Compression;

namespace Rag.Extensions.AI;

/// <summary>
/// The policy shared by the <c>IChatClient</c> middleware and the service's OpenAI-compatible
/// endpoint: the last user message is the question and stays intact; long system, earlier user and
/// tool messages are compressed with it as the question; assistant messages and short messages pass.
/// </summary>
public sealed class MessageCompressor(IContextCompressor compressor, ContextCompressionOptions options, ChatCompressionMetrics? metrics = null)
{
    private static readonly Tokenizer Counter = TiktokenTokenizer.CreateForEncoding("cl100k_base");

    /// <summary>The policy: rate, method, and which messages are compressed.</summary>
    public ContextCompressionOptions Options => options;

    /// <summary>The messages with long ones compressed (same order, same count), and the figures.</summary>
    public async Task<(IReadOnlyList<string> Texts, CompressionFigures Figures)> CompressAsync(IReadOnlyList<MessageText> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var started = Stopwatch.GetTimestamp();
        var lastUser = -1;
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role == "user")
            {
                lastUser = i;
                break;
            }
        }

        var question = lastUser >= 0 ? messages[lastUser].Text : null;
        var texts = new string[messages.Count];
        int origin = 0, compressed = 0, count = 0, hits = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            var (role, text) = messages[i];
            var tokens = Counter.CountTokens(text);
            origin += tokens;
            texts[i] = text;
            if (i == lastUser || tokens < options.MinTokens || !Compressible(role))
            {
                compressed += tokens;
                continue;
            }

            var result = await compressor.CompressAsync(new CompressionRequest([text], Question: question, Rate: options.Rate, Method: options.Method), cancellationToken);
            // The compressed prompt ends with the question (kept intact); the message gets the context part only.
            texts[i] = StripQuestion(result.CompressedPrompt, question);
            compressed += Counter.CountTokens(texts[i]);
            hits += result.CacheHits;
            count++;
        }

        var figures = new CompressionFigures(origin, compressed, count, hits, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        metrics?.Record(figures);
        return (texts, figures);
    }

    private bool Compressible(string role) => role switch
    {
        "system" => options.CompressSystem,
        "user" => options.CompressUser,
        "tool" => options.CompressToolResults,
        _ => false,
    };

    private static string StripQuestion(string prompt, string? question)
    {
        if (question is null)
            return prompt;
        var suffix = "\n\n" + question;
        return prompt.EndsWith(suffix, StringComparison.Ordinal) ? prompt[..^suffix.Length] : prompt;
    }
}

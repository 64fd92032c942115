using Microsoft.ML.Tokenizers;
using Rag.Compression;
using Rag.Compression.Tests;

namespace Rag.Extensions.AI.Tests;

/// <summary>Which messages the middleware compresses, with the real compressor in process (no model: the model-free methods).</summary>
public sealed class MessageCompressorTests
{
    private static readonly string Long = string.Join(' ', Enumerable.Range(0, 120).Select(i => $"The harbour log entry {i} notes the tide at {i % 12} o'clock and the ferry Wren at berth {i % 7}."));

    private static MessageCompressor Compressor(ContextCompressionOptions options) =>
        new(new InProcessContextCompressor(new PromptCompressor(TiktokenTokenizer.CreateForEncoding("cl100k_base"), null, null, new InMemoryCache(), new CompressorOptions())), options);

    [Fact]
    public async Task Long_system_and_earlier_user_messages_are_compressed_while_the_question_assistant_and_short_messages_pass()
    {
        var compressor = Compressor(new ContextCompressionOptions { Rate = 0.3, Method = CompressionMethod.CoarseToFine, MinTokens = 100 });
        MessageText[] messages =
        [
            new("system", Long),
            new("user", Long),
            new("assistant", Long),
            new("user", "Short note."),
            new("user", "When does the ferry Wren leave?"),
        ];

        var (texts, figures) = await compressor.CompressAsync(messages, CancellationToken.None);

        Assert.Equal(messages.Length, texts.Count);
        Assert.True(texts[0].Length < Long.Length / 2, "the long system message is compressed");
        Assert.True(texts[1].Length < Long.Length / 2, "the long earlier user message is compressed");
        Assert.Equal([Long, "Short note.", "When does the ferry Wren leave?"], texts.Skip(2));
        Assert.DoesNotContain("When does the ferry Wren leave?", texts[0], StringComparison.Ordinal); // the question is not appended to a message
        Assert.Equal(2, figures.MessagesCompressed);
        Assert.True(figures.CompressedTokens < figures.OriginTokens);
    }

    [Fact]
    public async Task Roles_switched_off_pass_untouched()
    {
        var compressor = Compressor(new ContextCompressionOptions { Rate = 0.3, MinTokens = 100, CompressSystem = false, CompressUser = false, CompressToolResults = true });
        MessageText[] messages = [new("system", Long), new("user", Long), new("tool", Long), new("user", "Which berth?")];

        var (texts, figures) = await compressor.CompressAsync(messages, CancellationToken.None);

        Assert.Equal([Long, Long], texts.Take(2));
        Assert.True(texts[2].Length < Long.Length, "the tool result is compressed");
        Assert.Equal(1, figures.MessagesCompressed);
    }
}

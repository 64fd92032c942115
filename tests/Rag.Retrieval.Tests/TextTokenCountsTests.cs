using Rag.Retrieval.Chunking;

namespace Rag.Retrieval.Tests;

public class TextTokenCountsTests
{
    public static TheoryData<string> Texts() =>
    [
        "novel",
        "whitespace",
        "unicode",
        "code",
        "special",
    ];

    [Theory]
    [MemberData(nameof(Texts))]
    public void Every_range_counts_exactly_what_the_tokenizer_counts_for_it(string name)
    {
        var text = Text(name);
        var counts = new TextTokenCounts(TestSupport.Cl100k, text, indexFrom: 0);
        var random = new Random(name.Length * 7919);

        Assert.Equal(TestSupport.Cl100k.CountTokens(text), counts.Count(0, text.Length));
        for (var i = 0; i < 3_000; i++)
        {
            var start = random.Next(text.Length);
            var end = Math.Min(text.Length, start + random.Next(i % 3 == 0 ? 4_000 : 400));
            Assert.True(
                TestSupport.Cl100k.CountTokens(text.AsSpan(start, end - start)) == counts.Count(start, end),
                $"[{start}, {end}) of {name}: {Show(text, start, end)}");
        }
    }

    [Fact]
    public void Ranges_around_long_whitespace_runs_count_exactly()
    {
        var text = "word" + new string(' ', 700) + "next\n\n\n" + new string('\n', 300) + "   tail  x" + new string(' ', 500);
        var counts = new TextTokenCounts(TestSupport.Cl100k, text, indexFrom: 0);

        for (var start = 0; start < text.Length; start += 13)
            for (var end = start; end <= text.Length; end += 17)
                Assert.Equal(TestSupport.Cl100k.CountTokens(text.AsSpan(start, end - start)), counts.Count(start, end));
    }

    private static string Text(string name) => name switch
    {
        "novel" => TestSupport.Sample("novel.md"),
        "whitespace" => ChunkGoldenTests.Tricky(seed: 3, length: 20_000, "  \t\n\r\n \n\n  ", "ab", "1234567", ".,;'!?", "       "),
        "unicode" => ChunkGoldenTests.Tricky(seed: 5, length: 20_000, " ", "\u00a0", "\u3000\u2028\u0085", "héllo", "'s've'LL'd", "日本語", "\U0001F600\U0001F680", "٣٤٥", "x"),
        "code" => ChunkGoldenTests.Tricky(seed: 9, length: 20_000, "    ", "\t", "\r\n", "if (x) {\n", "}\n", "return y;", "// note\n", "12345", "a+=b;"),
        _ => ChunkGoldenTests.Tricky(seed: 1, length: 20_000, " ", "<|endoftext|>", "<|fim_prefix|>", "word ", "\n"),
    };

    private static string Show(string text, int start, int end) =>
        System.Text.Json.JsonSerializer.Serialize(text[Math.Max(0, start - 8)..Math.Min(text.Length, end + 8)]);
}

using System.Text;
using Microsoft.ML.Tokenizers;

namespace Rag.Compression.Tests;

/// <summary>
/// The budget is met, text stays valid UTF-8 and protected spans survive — over many random inputs,
/// with the model-free methods (the selection and measuring code is the same for every method).
/// </summary>
public sealed class BudgetTests
{
    private static readonly Tokenizer Cl100k = TiktokenTokenizer.CreateForEncoding("cl100k_base");
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly string[] Words =
    [
        "harbour", "tide", "the", "a", "pier", "ship", "lantern", "1854", "keeper's", "(north)", "naïve", "café", "北京", "東京都の港",
        "🙂", "👩‍👩‍👧", "e\u0301", "Ωmega", "—", "x=1;", "foo.bar()", "\"quoted\"", "long-hyphenated-compound-word",
        "超長い日本語の文章が空白なしで続いていくとどうなるかを確かめるための文",
    ];

    [Fact]
    public async Task The_result_is_within_five_percent_of_the_target_over_random_inputs()
    {
        var random = new Random(2024);
        var compressor = new PromptCompressor(Cl100k, null, null, new InMemoryCache(), new CompressorOptions());
        var misses = new List<string>();
        for (var trial = 0; trial < 120; trial++)
        {
            var context = Enumerable.Range(0, random.Next(1, 5)).Select(_ => RandomText(random, random.Next(20, 700))).ToList();
            var method = (trial % 3) switch { 0 => CompressionMethod.Truncate, 1 => CompressionMethod.Random, _ => CompressionMethod.CoarseToFine };
            var useTarget = trial % 3 == 0;
            var rate = new[] { 0.1, 0.25, 0.5, 0.75, 0.9 }[trial % 5];
            var request = new CompressionRequest(context, "Answer briefly.", "Where is the keeper?", useTarget ? null : rate,
                useTarget ? random.Next(40, 400) : null, method);

            var result = await compressor.CompressAsync(request, CancellationToken.None);

            Assert.Equal(Cl100k.CountTokens(result.CompressedPrompt), result.CompressedTokens);
            Assert.Equal(StrictUtf8.GetString(StrictUtf8.GetBytes(result.CompressedPrompt)), result.CompressedPrompt);
            Assert.StartsWith("Answer briefly.", result.CompressedPrompt, StringComparison.Ordinal);
            Assert.EndsWith("Where is the keeper?", result.CompressedPrompt, StringComparison.Ordinal);
            var fixedTokens = Cl100k.CountTokens("Answer briefly.\n\nWhere is the keeper?");
            if (result.TargetTokens >= result.OriginTokens)
                Assert.Equal(result.OriginTokens, result.CompressedTokens);
            else if (result.TargetTokens > fixedTokens + (4 * context.Count) + 20)
            {
                if (Math.Abs(result.CompressedTokens - result.TargetTokens) > result.TargetTokens * 0.05)
                    misses.Add($"trial {trial}: target {result.TargetTokens}, got {result.CompressedTokens} of {result.OriginTokens}");
                Assert.True(result.BudgetMet, $"trial {trial}");
            }
        }

        Assert.True(misses.Count == 0, string.Join("\n", misses));
    }

    [Fact]
    public async Task Protected_spans_and_keep_markup_survive_whole_and_spans_point_into_the_input()
    {
        var random = new Random(7);
        var compressor = new PromptCompressor(Cl100k, null, null, new InMemoryCache(), new CompressorOptions());
        for (var trial = 0; trial < 30; trial++)
        {
            var before = RandomText(random, 300);
            var after = RandomText(random, 300);
            var marked = $"{before} <keep>The pass key is 71432.</keep> {after}";
            var plain = RandomText(random, 200);
            var forced = plain.IndexOf(' ', 40) + 1;
            var forcedEnd = plain.IndexOf(' ', forced + 20);
            var request = new CompressionRequest([marked, plain], null, "What is the pass key?", 0.2, null,
                trial % 2 == 0 ? CompressionMethod.Random : CompressionMethod.Truncate,
                ProtectedSpans: [new ProtectedSpan(1, forced, forcedEnd)]);

            var result = await compressor.CompressAsync(request, CancellationToken.None);

            Assert.Contains("The pass key is 71432.", result.CompressedPrompt, StringComparison.Ordinal);
            Assert.DoesNotContain("<keep>", result.CompressedPrompt, StringComparison.Ordinal);
            Assert.Contains(plain[forced..forcedEnd].Trim(), result.CompressedPrompt, StringComparison.Ordinal);
            foreach (var span in result.KeptSpans)
            {
                var original = request.Context[span.Context][span.Start..span.End].Replace("<keep>", "", StringComparison.Ordinal).Replace("</keep>", "", StringComparison.Ordinal);
                Assert.Contains(original, result.CompressedPrompt, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Protected_parts_larger_than_the_target_are_kept_and_the_result_says_the_budget_was_not_met()
    {
        var compressor = new PromptCompressor(Cl100k, null, null, new InMemoryCache(), new CompressorOptions());
        var text = "<keep>" + string.Join(' ', Enumerable.Repeat("protected words here", 30)) + "</keep> and some free text that may go";

        var result = await compressor.CompressAsync(new CompressionRequest([text], TargetTokens: 10, Method: CompressionMethod.Truncate), CancellationToken.None);

        Assert.False(result.BudgetMet);
        Assert.Contains(string.Join(' ', Enumerable.Repeat("protected words here", 30)), result.CompressedPrompt, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<keep>open", "never closed")]
    [InlineData("close</keep>", "without <keep>")]
    [InlineData("<keep><keep>x</keep></keep>", "nested")]
    public async Task Unbalanced_markup_is_refused_naming_the_context(string text, string message)
    {
        var compressor = new PromptCompressor(Cl100k, null, null, new InMemoryCache(), new CompressorOptions());

        var error = await Assert.ThrowsAsync<CompressionRequestException>(() =>
            compressor.CompressAsync(new CompressionRequest([text], Rate: 0.5, Method: CompressionMethod.Truncate), CancellationToken.None));

        Assert.Equal("context", error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Model_methods_without_a_model_are_refused_naming_the_method_and_auto_falls_back()
    {
        var compressor = new PromptCompressor(Cl100k, null, null, new InMemoryCache(), new CompressorOptions());
        var text = string.Join(' ', Enumerable.Repeat("words of a long context", 40));

        var error = await Assert.ThrowsAsync<CompressionRequestException>(() =>
            compressor.CompressAsync(new CompressionRequest([text], Rate: 0.5, Method: CompressionMethod.Segment), CancellationToken.None));
        var auto = await compressor.CompressAsync(new CompressionRequest([text], Rate: 0.5), CancellationToken.None);

        Assert.Equal("method", error.Field);
        Assert.Equal(CompressionMethod.Truncate, auto.Method);
        Assert.Contains("none is configured", auto.Note, StringComparison.Ordinal);
        Assert.True(auto.BudgetMet);
    }

    private static string RandomText(Random random, int words)
    {
        var text = new StringBuilder();
        for (var i = 0; i < words; i++)
        {
            text.Append(Words[random.Next(Words.Length)]);
            text.Append(random.Next(12) switch { 0 => "\n", 1 => ". ", 2 => "\n\n", _ => " " });
        }

        return text.ToString();
    }
}

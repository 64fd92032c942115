using Microsoft.ML.Tokenizers;
using Rag.Compression;
using Rag.Compression.Ports;
using Rag.Engine.Compression;
using Rag.Engine.Tests.Models;
using Rag.Storage.Embedded;
using Rag.Text;

namespace Rag.Engine.Tests.Compression;

/// <summary>The compressors driven by the real fixture decoder and the real SQLite segment cache.</summary>
public sealed class CompressionWithDecoderTests(FixtureModels models) : IClassFixture<FixtureModels>, IDisposable
{
    private static readonly Tokenizer Cl100k = TiktokenTokenizer.CreateForEncoding("cl100k_base");
    private readonly string _folder = Directory.CreateTempSubdirectory("rag-cache-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_repeated_segment_is_a_cache_read_not_a_model_call()
    {
        var scorer = new CountingScorer(new DecoderPorts(models.Decoder));
        var cache = new SqliteSegmentCache(Path.Combine(_folder, "cache.db"));
        var compressor = new PromptCompressor(Cl100k, scorer, null, cache, new CompressorOptions { SegmentTokens = 64 });
        var context = HarbourText(12);

        var first = await compressor.CompressAsync(new CompressionRequest([context], Question: "Which buoy?", Rate: 0.5, Method: CompressionMethod.Segment), CancellationToken.None);
        var callsAfterFirst = scorer.Sequences;
        var repeat = await compressor.CompressAsync(new CompressionRequest([context], Question: "Which buoy?", Rate: 0.5, Method: CompressionMethod.Segment), CancellationToken.None);
        var otherRate = await compressor.CompressAsync(new CompressionRequest([context], Rate: 0.3, Method: CompressionMethod.Segment), CancellationToken.None);
        var newQuestion = await compressor.CompressAsync(new CompressionRequest([context], Question: "When does the tide turn?", Rate: 0.5, Method: CompressionMethod.Segment), CancellationToken.None);

        Assert.True(first.CacheMisses > 1);
        Assert.Equal(0, first.CacheHits);
        Assert.Equal(first.CacheMisses, callsAfterFirst);
        Assert.Equal((0, first.CacheMisses), (repeat.CacheMisses, repeat.CacheHits));
        Assert.Equal(repeat.CompressedPrompt, first.CompressedPrompt);
        // The words' information does not depend on the question or the rate: no model call either.
        Assert.Equal((0, first.CacheMisses), (otherRate.CacheMisses, otherRate.CacheHits));
        Assert.Equal(callsAfterFirst, scorer.Sequences - newQuestion.CacheMisses);
        Assert.True(first.BudgetMet && repeat.BudgetMet && otherRate.BudgetMet);
        // Two entries per segment: its information, and the first question's ranking; then the second question's.
        Assert.Equal(3 * first.CacheMisses, new SqliteSegmentCache(Path.Combine(_folder, "cache.db")).Count);
    }

    [Fact]
    public async Task Segment_pruning_drops_the_predictable_and_keeps_the_surprising()
    {
        var scorer = new DecoderPorts(models.Decoder);
        var compressor = new PromptCompressor(Cl100k, scorer, null, new SqliteSegmentCache(Path.Combine(_folder, "c.db")), new CompressorOptions());
        // Boilerplate the model predicts well, with one unusual fact inside.
        var context = string.Concat(Enumerable.Repeat("the harbour and the harbour and the harbour and the ", 8)) + "Zebulon Quartermaine paid 7731 guilders. "
            + string.Concat(Enumerable.Repeat("the harbour and the harbour and the harbour and the ", 8));

        var result = await compressor.CompressAsync(new CompressionRequest([context], Rate: 0.3, Method: CompressionMethod.Segment), CancellationToken.None);

        Assert.Contains("Quartermaine", result.CompressedPrompt, StringComparison.Ordinal);
        Assert.True(result.BudgetMet);
    }

    [Fact]
    public async Task LongCodeZip_keeps_the_function_the_question_is_about()
    {
        var scorer = new DecoderPorts(models.Decoder);
        var compressor = new PromptCompressor(Cl100k, scorer, null, new SqliteSegmentCache(Path.Combine(_folder, "code.db")), new CompressorOptions());
        var code = File.ReadAllText(Path.Combine(Rag.Tests.Shared.TestFiles.RepositoryRoot(), "tests", "Rag.Engine.Tests", "Compression", "fixture_inventory.py"));

        var result = await compressor.CompressAsync(new CompressionRequest(
            [code], Question: "How does compute_restock_quantity decide how many units to reorder?", Rate: 0.35, ContentType: "python"), CancellationToken.None);

        Assert.Equal(CompressionMethod.LongCodeZip, result.Method);
        Assert.Contains("def compute_restock_quantity", result.CompressedPrompt, StringComparison.Ordinal);
        Assert.Contains("# ...", result.CompressedPrompt, StringComparison.Ordinal);
        Assert.True(result.BudgetMet, $"{result.CompressedTokens} for a target of {result.TargetTokens}");
        Assert.True(result.Ratio > 2);
    }

    [Fact]
    public async Task GemFilter_in_sentence_mode_keeps_whole_sentences()
    {
        var ports = new DecoderPorts(models.Decoder);
        var compressor = new PromptCompressor(Cl100k, ports, ports, new SqliteSegmentCache(Path.Combine(_folder, "gem-sentences.db")),
            new CompressorOptions { GemFilterSentences = true });
        var context = string.Concat(Enumerable.Range(0, 40).Select(i => $"Sentence number {i} tells of ships and tides in the bay. "));

        var result = await compressor.CompressAsync(
            new CompressionRequest([context], Question: "What tells of ships?", Rate: 0.3, Method: CompressionMethod.GemFilter), CancellationToken.None);

        Assert.True(result.BudgetMet);
        var sentences = Rag.Text.SentenceSplitter.Split(context);
        var starts = sentences.Select(s => s.Start).ToHashSet();
        var ends = sentences.Select(s => s.Start + s.Length).ToHashSet();
        // Every kept piece is whole sentences, except where the last sentence that fits was cut.
        var ragged = result.KeptSpans.Count(k => !starts.Contains(k.Start) || !ends.Contains(context[..k.End].TrimEnd().Length));
        Assert.True(ragged <= 2, $"{ragged} of {result.KeptSpans.Count} kept spans cut a sentence");
        Assert.True(result.KeptSpans.Count >= 5);
    }

    [Fact]
    public async Task GemFilter_keeps_the_pass_key_in_a_haystack_at_4x()
    {
        var ports = new DecoderPorts(models.Decoder);
        var compressor = new PromptCompressor(Cl100k, ports, ports, new SqliteSegmentCache(Path.Combine(_folder, "gem.db")), new CompressorOptions());
        var filler = string.Concat(Enumerable.Repeat("The grass is green. The sky is blue. The sun is yellow. Here we go. There and back again. ", 14));
        var kept = 0;
        foreach (var (key, depth) in new[] { ("40217", 0.2), ("83561", 0.5), ("19734", 0.8) })
        {
            var at = (int)(filler.Length * depth);
            at = filler.IndexOf(". ", at, StringComparison.Ordinal) + 2;
            var context = filler[..at] + $"The pass key is {key}. Remember it. {key} is the pass key. " + filler[at..];

            var result = await compressor.CompressAsync(
                new CompressionRequest([context], Question: "What is the pass key? The pass key is", Rate: 0.25, Method: CompressionMethod.GemFilter), CancellationToken.None);

            Assert.Equal(CompressionMethod.GemFilter, result.Method);
            Assert.True(result.BudgetMet);
            if (result.CompressedPrompt.Contains(key, StringComparison.Ordinal))
                kept++;
        }

        Assert.True(kept == 3, $"the key survived at {kept} of 3 depths");
    }

    private static string HarbourText(int paragraphs) => string.Join("\n\n", Enumerable.Range(0, paragraphs).Select(i =>
        $"Paragraph {i}: the tide at the north pier turns forty minutes after the river mouth, and pilots board inbound ships by the fairway buoy number {i * 7 % 13}."));

    /// <summary>Counts the sequences that reach the model; everything else goes to the real scorer.</summary>
    private sealed class CountingScorer(ITokenScorer inner) : ITokenScorer
    {
        public int Sequences { get; private set; }

        public string ModelId => inner.ModelId;

        public Tokenizer Tokenizer => inner.Tokenizer;

        public int? BosTokenId => inner.BosTokenId;

        public int MaxTokens => inner.MaxTokens;

        public Task<float[][]> ScoreAsync(IReadOnlyList<IReadOnlyList<int>> sequences, CancellationToken cancellationToken)
        {
            Sequences += sequences.Count;
            return inner.ScoreAsync(sequences, cancellationToken);
        }
    }
}

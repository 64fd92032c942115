using Microsoft.ML.Tokenizers;
using Rag.Compression.Extractive;
using Rag.Compression.Ports;
using Rag.Text;

namespace Rag.Compression.Tests;

public sealed class CoarseToFineTests
{
    private static readonly Tokenizer Cl100k = TiktokenTokenizer.CreateForEncoding("cl100k_base");

    private static readonly string[] Filler =
    [
        "The ferry timetable changes with the seasons and the estuary tides.",
        "Gulls gather on the breakwater whenever the fishing fleet returns.",
        "The old customs house now holds the town archive and a small cafe.",
        "Visitors may climb the hill path to the chapel on clear afternoons.",
        "Nets are mended on the quay by the families who have fished here for generations.",
    ];

    private const string Paraphrase = "The beacon on the headland was erected in 1887 by the port authority.";
    private const string Identifier = "Error code E4471 means the pump valve is stuck open.";

    private static string Context(string evidence, int position) =>
        string.Join(' ', Enumerable.Range(0, 40).Select(i => i == position ? evidence : Filler[i % Filler.Length]));

    [Fact]
    public async Task Bm25_finds_an_identifier_and_keeps_the_sentence_whole_among_the_rest_in_order()
    {
        var compressor = new PromptCompressor(Cl100k, null, null, new InMemoryCache(), new CompressorOptions());
        var context = Context(Identifier, 27);

        var result = await compressor.CompressAsync(
            new CompressionRequest([context], null, "What does E4471 mean?", 0.25, null, CompressionMethod.CoarseToFine), CancellationToken.None);

        Assert.Equal(CompressionMethod.CoarseToFine, result.Method);
        Assert.Contains(Identifier, result.CompressedPrompt, StringComparison.Ordinal);
        Assert.True(result.BudgetMet);
        // Kept spans come out in their original order.
        var starts = result.KeptSpans.Select(s => s.Start).ToList();
        Assert.Equal(starts.Order(), starts);
    }

    [Fact]
    public async Task A_kept_items_heading_comes_with_it_as_cheap_context_and_a_heading_alone_is_not_kept()
    {
        var compressor = new PromptCompressor(Cl100k, null, null, new InMemoryCache(), new CompressorOptions());
        var sections = string.Join("\n\n", Enumerable.Range(0, 12).Select(i => $"## Release 9.{i}\n\n" + string.Join('\n', Filler.Select(f => "- " + f))));
        var context = sections.Replace("## Release 9.7\n\n", "## Release 9.7\n\n- Error code E4471 means the pump valve is stuck open.\n", StringComparison.Ordinal);

        var result = await compressor.CompressAsync(
            new CompressionRequest([context], null, "What does E4471 mean?", 0.05, null, CompressionMethod.CoarseToFine), CancellationToken.None);

        // The answering item whole, its heading before it; no other release's heading.
        Assert.Contains("## Release 9.7", result.CompressedPrompt, StringComparison.Ordinal);
        Assert.Contains("- Error code E4471 means the pump valve is stuck open.", result.CompressedPrompt, StringComparison.Ordinal);
        Assert.True(result.CompressedPrompt.IndexOf("## Release 9.7", StringComparison.Ordinal) < result.CompressedPrompt.IndexOf("E4471", StringComparison.Ordinal));
        Assert.DoesNotContain("## Release 9.3", result.CompressedPrompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_encoder_finds_a_paraphrase_and_hybrid_keeps_it_where_bm25_drops_it()
    {
        var similarity = new MarkedSimilarity(Paraphrase);
        var compressor = new PromptCompressor(Cl100k, null, null, new InMemoryCache(), new CompressorOptions(), similarity);
        var request = new CompressionRequest([Context(Paraphrase, 33)], null, "When was the lighthouse built?", 0.2, null, CompressionMethod.CoarseToFine);

        var hybrid = await compressor.CompressAsync(request, CancellationToken.None);
        var bm25 = await compressor.CompressAsync(request with { RankMethod = RankMethod.Bm25 }, CancellationToken.None);

        Assert.Contains(Paraphrase, hybrid.CompressedPrompt, StringComparison.Ordinal);
        Assert.DoesNotContain(Paraphrase, bm25.CompressedPrompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auto_picks_coarse_to_fine_for_text_with_a_question_and_dense_needs_an_encoder()
    {
        var compressor = new PromptCompressor(Cl100k, null, null, new InMemoryCache(), new CompressorOptions());

        var auto = await compressor.CompressAsync(new CompressionRequest([Context(Identifier, 3)], null, "What does E4471 mean?", 0.3), CancellationToken.None);
        var error = await Assert.ThrowsAsync<CompressionRequestException>(() => compressor.CompressAsync(
            new CompressionRequest([Context(Identifier, 3)], null, "E4471?", 0.3, null, CompressionMethod.CoarseToFine, RankMethod: RankMethod.Dense), CancellationToken.None));

        Assert.Equal(CompressionMethod.CoarseToFine, auto.Method);
        Assert.Equal("rank_method", error.Field);
    }

    [Fact]
    public async Task Longllmlingua_ranks_by_the_scorers_question_likelihood_and_needs_a_scorer()
    {
        var scorer = new MarkedScorer(Paraphrase);
        var compressor = new PromptCompressor(Cl100k, scorer, null, new InMemoryCache(), new CompressorOptions());
        var request = new CompressionRequest([Context(Paraphrase, 21)], null, "When was the lighthouse built?", 0.2, null, CompressionMethod.CoarseToFine,
            RankMethod: RankMethod.LongLlmLingua);

        var result = await compressor.CompressAsync(request, CancellationToken.None);
        var without = await Assert.ThrowsAsync<CompressionRequestException>(() =>
            new PromptCompressor(Cl100k, null, null, new InMemoryCache(), new CompressorOptions()).CompressAsync(request, CancellationToken.None));

        Assert.Contains(Paraphrase, result.CompressedPrompt, StringComparison.Ordinal);
        Assert.True(result.BudgetMet);
        Assert.Equal("rank_method", without.Field);
    }

    [Fact]
    public async Task Keep_first_and_last_sentence_keep_each_contexts_ends_before_the_ranked_sentences()
    {
        var compressor = new PromptCompressor(Cl100k, null, null, new InMemoryCache(), new CompressorOptions());
        string[] contexts = [Context(Identifier, 20), string.Join(' ', Filler.Reverse()), string.Join(' ', Filler)];
        var request = new CompressionRequest(contexts, null, "What does E4471 mean?", 0.35, null, CompressionMethod.CoarseToFine,
            KeepFirstSentence: 1, KeepLastSentence: 1);

        var result = await compressor.CompressAsync(request, CancellationToken.None);
        var plain = await compressor.CompressAsync(request with { KeepFirstSentence = 0, KeepLastSentence = 0 }, CancellationToken.None);

        Assert.Contains(Identifier, result.CompressedPrompt, StringComparison.Ordinal);
        Assert.Contains(Filler[^1], result.CompressedPrompt, StringComparison.Ordinal); // first of the second context
        Assert.Contains(Filler[0], result.CompressedPrompt, StringComparison.Ordinal);   // first of the third
        foreach (var context in contexts)
        {
            var first = SentenceSplitter.Split(context)[0];
            Assert.Contains(result.KeptSpans, s => s.Context == Array.IndexOf(contexts, context) && s.Start <= first.Start && s.End >= first.Start + first.Length);
        }

        Assert.DoesNotContain(plain.KeptSpans, s => s.Context == 1);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.25)]
    [InlineData(0.1)]
    public async Task Known_token_counts_spare_the_tokenizer_and_still_meet_the_budget(double rate)
    {
        var compressor = new PromptCompressor(Cl100k, null, null, new InMemoryCache(), new CompressorOptions());
        string[] contexts = [.. Enumerable.Range(0, 8).Select(i => Context(Identifier, (i * 5) + 3))];
        var request = new CompressionRequest(contexts, null, "What does E4471 mean?", rate, null, CompressionMethod.CoarseToFine);

        var measured = await compressor.CompressAsync(request, CancellationToken.None);
        var known = await compressor.CompressAsync(request with { ContextTokens = [.. contexts.Select(c => Cl100k.CountTokens(c))] }, CancellationToken.None);

        Assert.InRange(known.OriginTokens, measured.OriginTokens - 8, measured.OriginTokens + 8);
        Assert.True(known.BudgetMet, $"{known.CompressedTokens} tokens for a target of {known.TargetTokens}");
        Assert.Equal(Cl100k.CountTokens(known.CompressedPrompt), known.CompressedTokens);
        Assert.Contains(Identifier, known.CompressedPrompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_hop_finds_the_bridge_fact_that_shares_nothing_with_the_question()
    {
        const string First = "Moonfall is a film directed by Arvid Lund.";
        const string Bridge = "Arvid Lund grew up in Tromso, Norway.";
        var context = string.Join(' ', Enumerable.Range(0, 40).Select(i => i switch { 9 => First, 31 => Bridge, _ => Filler[i % Filler.Length] }));
        var request = new CompressionRequest([context], null, "Where was the director of Moonfall raised?", 0.15, null, CompressionMethod.CoarseToFine);

        var oneHop = await new PromptCompressor(Cl100k, null, null, new InMemoryCache(), new CompressorOptions { SecondHop = false }).CompressAsync(request, CancellationToken.None);
        var twoHops = await new PromptCompressor(Cl100k, null, null, new InMemoryCache(), new CompressorOptions { SecondHop = true }).CompressAsync(request, CancellationToken.None);

        Assert.Contains(First, oneHop.CompressedPrompt, StringComparison.Ordinal);
        Assert.DoesNotContain(Bridge, oneHop.CompressedPrompt, StringComparison.Ordinal);
        Assert.Contains(First, twoHops.CompressedPrompt, StringComparison.Ordinal);
        Assert.Contains(Bridge, twoHops.CompressedPrompt, StringComparison.Ordinal);
        Assert.True(twoHops.BudgetMet);
    }

    /// <summary>A stand-in scorer: the question's tokens are likely after the marked sentence, unlikely after any other.</summary>
    private sealed class MarkedScorer(string marked) : ITokenScorer
    {
        private readonly HashSet<int> _markedIds = [.. Cl100k.EncodeToIds(marked)];

        public string ModelId => "marked@1";

        public Tokenizer Tokenizer => Cl100k;

        public int? BosTokenId => null;

        public int MaxTokens => 4096;

        public Task<float[][]> ScoreAsync(IReadOnlyList<IReadOnlyList<int>> sequences, CancellationToken cancellationToken) =>
            Task.FromResult(sequences.Select(ids =>
            {
                var loss = ids.Count(_markedIds.Contains) > ids.Count / 2 ? 1f : 6f;
                return Enumerable.Repeat(loss, Math.Max(0, ids.Count - 1)).ToArray();
            }).ToArray());
    }

    /// <summary>A stand-in encoder for a unit test of the ranking: the marked sentence is similar, the rest are not.</summary>
    private sealed class MarkedSimilarity(string similar) : ISentenceSimilarity
    {
        public double Weight => 0.8;

        public Task<float[]> SimilarityAsync(string question, IReadOnlyList<string> sentences, string scope, CancellationToken cancellationToken) =>
            Task.FromResult(sentences.Select(s => s.Contains(similar, StringComparison.Ordinal) ? 0.9f : 0.2f).ToArray());
    }
}

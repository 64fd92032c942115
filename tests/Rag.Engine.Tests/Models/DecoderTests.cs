using Microsoft.ML.OnnxRuntime;
using Rag.Engine.Models;

namespace Rag.Engine.Tests.Models;

public sealed class DecoderTests(FixtureModels models) : IClassFixture<FixtureModels>
{
    private const string Text = "The harbour master keeps the tide tables in the office by the pier. Ships may enter at high water.";
    private readonly OnnxDecoder _decoder = models.Decoder;

    [Fact]
    public void Logits_with_the_kv_cache_equal_logits_without_at_every_position()
    {
        var ids = _decoder.Encode(Text, addBos: true);
        var vocab = _decoder.Config.VocabSize;
        var full = _decoder.Logits(ids);

        using var state = new DecoderState(_decoder, ids.Count);
        using var run = new RunOptions();
        for (var t = 0; t < ids.Count; t++)
        {
            state.Append([ids[t]], run);
            AssertClose(full.AsSpan(t * vocab, vocab), state.LastLogits, $"position {t}");
        }
    }

    [Fact]
    public void A_prefill_in_chunks_gives_the_logits_of_a_prefill_in_one_piece()
    {
        using var chunked = OnnxDecoder.Load(_decoder.Folder, models.Sessions, new DecoderOptions { PrefillChunkTokens = 5 });
        var ids = _decoder.Encode(Text + " " + Text, addBos: true);
        var vocab = _decoder.Config.VocabSize;
        var full = _decoder.Logits(ids);

        using var state = new DecoderState(chunked, ids.Count + 1);
        using var run = new RunOptions();
        state.Append(ids, run);

        Assert.Equal(ids.Count, state.Length);
        AssertClose(full.AsSpan((ids.Count - 1) * vocab, vocab), state.LastLogits, "last position");
    }

    [Fact]
    public async Task Batched_scoring_equals_scoring_one_by_one()
    {
        IReadOnlyList<int>[] sequences =
        [
            _decoder.Encode(Text, addBos: true),
            _decoder.Encode("def add(a, b):\n    return a + b\n", addBos: true),
            _decoder.Encode("Short one.", addBos: true),
        ];

        var batched = _decoder.ScoreBatch(sequences);
        var concurrent = await Task.WhenAll(sequences.Select(s => _decoder.ScoreAsync([s], CancellationToken.None)));

        for (var i = 0; i < sequences.Length; i++)
        {
            var alone = _decoder.ScoreBatch([sequences[i]])[0];
            Assert.Equal(sequences[i].Count - 1, alone.Length);
            AssertClose(alone, batched[i], $"sequence {i} in a batch");
            AssertClose(alone, concurrent[i][0], $"sequence {i} through the batching queue");
        }
    }

    [Fact]
    public async Task Scoring_for_a_caller_who_has_gone_is_not_run()
    {
        var sequence = _decoder.Encode(string.Join(' ', Enumerable.Repeat(Text, 3)), addBos: true);
        var busy = Enumerable.Repeat((IReadOnlyList<int>)sequence, 200).ToList();
        var abandoned = Enumerable.Repeat((IReadOnlyList<int>)sequence, 50).ToList();
        var scoredBefore = _decoder.ScoredSequences;
        var abandonedBefore = _decoder.AbandonedScoreRequests;

        // The queue is busy with the first request while the second is queued and its caller gives up.
        var first = _decoder.ScoreAsync(busy, CancellationToken.None);
        using var gone = new CancellationTokenSource();
        var second = _decoder.ScoreAsync(abandoned, gone.Token);
        await gone.CancelAsync();

        Assert.Equal(busy.Count, (await first).Length);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        await _decoder.ScoreAsync([sequence], CancellationToken.None); // the queue has moved past both
        Assert.Equal(busy.Count + 1, _decoder.ScoredSequences - scoredBefore);
        Assert.Equal(1, _decoder.AbandonedScoreRequests - abandonedBefore);
    }

    [Fact]
    public async Task A_caller_who_goes_mid_request_stops_the_rest_of_its_batches()
    {
        // 8,192 tokens a batch: this request is many batches; its caller leaves once the first is done.
        var sequence = _decoder.Encode(string.Join(' ', Enumerable.Repeat(Text, 3)), addBos: true);
        var many = Enumerable.Repeat((IReadOnlyList<int>)sequence, 2000).ToList();
        var before = _decoder.ScoredSequences;
        using var gone = new CancellationTokenSource();

        var scoring = _decoder.ScoreAsync(many, gone.Token);
        while (_decoder.ScoredSequences == before && !scoring.IsCompleted)
            await Task.Delay(1);
        await gone.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scoring);
        await _decoder.ScoreAsync([sequence], CancellationToken.None); // the queue has moved past it
        Assert.True(_decoder.ScoredSequences - before < many.Count, $"{_decoder.ScoredSequences - before} of {many.Count} scored");
    }

    [Fact]
    public void Scores_are_the_negative_log_likelihood_of_the_next_token()
    {
        var ids = _decoder.Encode(Text, addBos: true);
        var vocab = _decoder.Config.VocabSize;
        var logits = _decoder.Logits(ids);
        var nll = _decoder.ScoreBatch([ids])[0];

        for (var t = 0; t + 1 < ids.Count; t++)
        {
            var row = logits.AsSpan(t * vocab, vocab).ToArray();
            var max = row.Max();
            var expected = Math.Log(row.Sum(v => Math.Exp(v - max))) + max - row[ids[t + 1]];
            Assert.Equal(expected, nll[t], 2);
        }
    }

    [Fact]
    public async Task Greedy_generation_is_deterministic_and_streams_what_it_returns()
    {
        var prompt = _decoder.Encode("def read_config(path):\n", addBos: true);
        var options = new GenerationOptions(MaxTokens: 24);

        var first = await Collect(prompt, options);
        var second = await Collect(prompt, options);

        Assert.Equal(first.Text, second.Text);
        Assert.Equal("length", first.Last.FinishReason);
        Assert.Equal(24, first.Last.Stats!.GeneratedTokens);
        Assert.Equal(prompt.Count, first.Last.Stats.PromptTokens);
        Assert.True(first.Chunks > 1, "text arrives in pieces as it is generated");
    }

    [Fact]
    public async Task Generation_stops_at_the_end_of_sequence_token()
    {
        var prompt = _decoder.Encode("import os\n", addBos: true);
        var free = await Collect(prompt, new GenerationOptions(MaxTokens: 12));
        var fifth = _decoder.Encode(free.Text, addBos: false)[4];
        var eos = _decoder.Config.Json["eos_token_id"]!.DeepClone();

        // Declare the fifth generated token the end of sequence: generation must stop right before it.
        _decoder.Config.Json["eos_token_id"] = new System.Text.Json.Nodes.JsonArray(2, fifth);
        try
        {
            var stopped = await Collect(prompt, new GenerationOptions(MaxTokens: 12));
            Assert.Equal("stop", stopped.Last.FinishReason);
            Assert.True(stopped.Last.Stats!.GeneratedTokens < 12);
            Assert.DoesNotContain(fifth, _decoder.Encode(stopped.Text, addBos: false));
            Assert.StartsWith(stopped.Text, free.Text, StringComparison.Ordinal);
        }
        finally
        {
            _decoder.Config.Json["eos_token_id"] = eos;
        }
    }

    [Fact]
    public async Task Generation_stops_before_a_stop_sequence_and_never_returns_it()
    {
        var prompt = _decoder.Encode("The pass key is 4821. Remember it. The pass key is", addBos: true);
        var free = await Collect(prompt, new GenerationOptions(MaxTokens: 30));
        Assert.True(free.Text.Length > 6, $"the model said too little to test with: '{free.Text}'");
        var stop = free.Text.Substring(free.Text.Length / 2, 3);
        var expected = free.Text[..free.Text.IndexOf(stop, StringComparison.Ordinal)];

        var stopped = await Collect(prompt, new GenerationOptions(MaxTokens: 30, Stop: [stop, "never-generated-xyz"]));

        Assert.Equal(expected, stopped.Text);
        Assert.Equal("stop", stopped.Last.FinishReason);
    }

    [Fact]
    public async Task Sampling_with_a_seed_repeats_and_differs_from_other_seeds()
    {
        var prompt = _decoder.Encode("class Parser:\n", addBos: true);
        var a = await Collect(prompt, new GenerationOptions(MaxTokens: 20, Temperature: 1.0f, TopP: 0.95f, Seed: 7));
        var b = await Collect(prompt, new GenerationOptions(MaxTokens: 20, Temperature: 1.0f, TopP: 0.95f, Seed: 7));
        var others = await Task.WhenAll(Enumerable.Range(8, 4).Select(seed =>
            Collect(prompt, new GenerationOptions(MaxTokens: 20, Temperature: 1.0f, TopP: 0.95f, Seed: seed))));

        Assert.Equal(a.Text, b.Text);
        Assert.Contains(others, o => o.Text != a.Text);
    }

    [Fact]
    public async Task Cancelling_stops_generation_between_tokens()
    {
        var prompt = _decoder.Encode("import sys\n", addBos: true);
        using var cancel = new CancellationTokenSource();
        var received = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var chunk in _decoder.GenerateAsync(prompt, new GenerationOptions(MaxTokens: 400), cancel.Token))
            {
                received++;
                await cancel.CancelAsync();
            }
        });
        Assert.Equal(1, received);
    }

    [Fact]
    public async Task Cancelling_stops_a_long_prefill_inside_the_model_run()
    {
        // One token per model run, so the prefill is hundreds of runs; cancelled once the first has begun.
        using var decoder = OnnxDecoder.Load(_decoder.Folder, models.Sessions, new DecoderOptions { PrefillChunkTokens = 1 });
        var filler = string.Concat(Enumerable.Repeat("The harbour is quiet at night and the lamps burn low. ", 200));
        var prompt = decoder.Encode(filler, addBos: true).Take(decoder.MaxPositions - 8).ToList();
        using var cancel = new CancellationTokenSource();
        var texts = new List<string>();
        var before = decoder.GenerationSteps;

        var generation = Task.Run(async () =>
        {
            await foreach (var chunk in decoder.GenerateAsync(prompt, new GenerationOptions(MaxTokens: 4), cancel.Token))
                texts.Add(chunk.Text);
        });
        Assert.True(SpinWait.SpinUntil(() => decoder.GenerationSteps > before, TimeSpan.FromMinutes(1)), "the prefill never started");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generation);
        Assert.Empty(texts);
        Assert.True(decoder.GenerationSteps - before < prompt.Count, $"the prefill ran to its end ({decoder.GenerationSteps - before} of {prompt.Count} runs)");
    }

    [Fact]
    public void The_gemfilter_probe_scores_every_position()
    {
        var ids = _decoder.Encode(Text, addBos: true);

        var scores = _decoder.GemScores(ids, CancellationToken.None);

        Assert.Equal(ids.Count, scores.Length);
        Assert.All(scores, s => Assert.True(float.IsFinite(s)));
        Assert.NotNull(_decoder.GemFilterLayer);
    }

    [Fact]
    public async Task Prompts_the_model_cannot_take_are_refused_with_the_limit()
    {
        var tooLong = Enumerable.Repeat(5, _decoder.MaxPositions).ToList();

        var error = await Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await foreach (var chunk in _decoder.GenerateAsync(tooLong, new GenerationOptions(), CancellationToken.None))
                Assert.Fail("nothing may be generated");
        });
        Assert.Contains(_decoder.MaxPositions.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    private async Task<(string Text, GenerationChunk Last, int Chunks)> Collect(IReadOnlyList<int> prompt, GenerationOptions options)
    {
        var text = new System.Text.StringBuilder();
        GenerationChunk? last = null;
        var chunks = 0;
        await foreach (var chunk in _decoder.GenerateAsync(prompt, options, CancellationToken.None))
        {
            text.Append(chunk.Text);
            last = chunk;
            chunks++;
        }

        return (text.ToString(), last!, chunks);
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (Math.Abs(expected[i] - actual[i]) > 1e-3)
                Assert.Fail($"{what}: element {i} is {actual[i]}, expected {expected[i]}");
        }
    }
}

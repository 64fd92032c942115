using Microsoft.ML.Tokenizers;
using Rag.Compression.Extractive;

namespace Rag.Compression.Tests;

public class ExtractiveSelectorTests
{
    private static readonly Tokenizer Cl100k = TiktokenTokenizer.CreateForEncoding("cl100k_base");
    private readonly ExtractiveSelector _selector = new(Cl100k);

    private static readonly Passage[] Passages =
    [
        new("c1", "The museum opens at nine. The lighthouse was built in 1854 by the harbour board. Tickets cost five euros.", 0),
        new("c2", "Storms closed the harbour twice. The lighthouse keeper lived in the tower until 1960.", 1),
    ];

    [Fact]
    public void The_sentence_that_answers_comes_first()
    {
        var selected = _selector.Select("When was the lighthouse built?", Passages, 200);

        Assert.Equal("The lighthouse was built in 1854 by the harbour board.", selected[0].Text);
        Assert.Equal("c1", selected[0].Passage.Id);
        Assert.Equal(selected[0].Text, Passages[0].Text.Substring(selected[0].Start, selected[0].Length));
    }

    [Fact]
    public void The_budget_is_never_exceeded()
    {
        foreach (var budget in new[] { 5, 12, 20, 40 })
        {
            var selected = _selector.Select("lighthouse harbour keeper built", Passages, budget);

            Assert.True(selected.Sum(s => s.Tokens) <= budget);
            Assert.All(selected, s => Assert.Equal(Cl100k.CountTokens(s.Text), s.Tokens));
        }
    }

    [Fact]
    public void Sentences_sharing_no_word_with_the_question_are_not_picked()
    {
        var selected = _selector.Select("lighthouse", Passages, 500);

        Assert.Equal(2, selected.Count);
        Assert.All(selected, s => Assert.Contains("lighthouse", s.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void A_sentence_repeated_by_overlapping_chunks_is_kept_once()
    {
        var overlapping = new[]
        {
            new Passage("a", "Intro. The keeper lived in the tower.", 0),
            new Passage("b", "The keeper lived in the tower. Outro.", 1),
        };

        var selected = _selector.Select("Where did the keeper live?", overlapping, 500);

        Assert.Single(selected);
    }

    [Fact]
    public void A_question_of_only_stop_words_selects_nothing() =>
        Assert.Empty(_selector.Select("what is it?", Passages, 500));
}

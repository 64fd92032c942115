using Rag.Compression.Methods;
using Rag.Compression.Text;

namespace Rag.Compression.Tests;

public sealed class GemFilterSentenceTests
{
    [Fact]
    public void A_sentence_ranks_by_its_mean_word_score_and_is_kept_whole_before_any_other()
    {
        const string text = "Boats rest here. The key is 7731 today. Gulls fly over.";
        var units = Words(text);
        var scores = units.Select(u => text[u.Start..u.End].Trim() switch { "7731" => 9.0, "Gulls" => 3.0, "Boats" => 4.0, _ => 1.0 }).ToArray();

        var priority = GemFilterScores.BySentence([text], units, scores);

        var sentenceOf = units.Select(u => u.Start < 17 ? 0 : u.Start < 40 ? 1 : 2).ToArray();
        var order = Enumerable.Range(0, units.Count).OrderByDescending(i => priority[i]).Select(i => sentenceOf[i]).ToList();
        Assert.Equal([1, 1, 1, 1, 1, 0, 0, 0, 2, 2, 2], order);
        // Inside a sentence the word scores still order the units (the last sentence that fits is cut by them).
        Assert.True(priority[units.FindIndex(u => text[u.Start..u.End].Trim() == "7731")] > priority[units.FindIndex(u => text[u.Start..u.End].Trim() == "key")]);
    }

    private static List<Word> Words(string text) =>
        [.. System.Text.RegularExpressions.Regex.Matches(text, @"\S+\s*").Select(m => new Word(0, m.Index, m.Index + m.Length, 1, false))];
}

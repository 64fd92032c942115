using Rag.Compression.Extractive;
using Rag.Text;

namespace Rag.Compression.Tests;

public class SentenceSplitterTests
{
    [Fact]
    public void Prose_splits_at_sentence_ends_but_not_at_abbreviations()
    {
        const string text = "Dr. Watson arrived at 5 p.m. on Monday. He brought tea, e.g. Earl Grey! Did it rain? Yes.";

        var sentences = Texts(text);

        Assert.Equal(["Dr. Watson arrived at 5 p.m. on Monday.", "He brought tea, e.g. Earl Grey!", "Did it rain?", "Yes."], sentences);
    }

    [Fact]
    public void Lines_end_sentences_and_spans_point_into_the_text()
    {
        const string text = "# Title\n\n  - first item\n- second item  \nlast line";

        var spans = SentenceSplitter.Split(text);

        Assert.Equal(["# Title", "- first item", "- second item", "last line"], spans.Select(s => text.Substring(s.Start, s.Length)));
    }

    [Fact]
    public void Decimal_numbers_and_lower_case_continuations_do_not_split()
    {
        Assert.Equal(["Pi is 3.14 roughly. ok then"], Texts("Pi is 3.14 roughly. ok then"));
    }

    private static IEnumerable<string> Texts(string text) => SentenceSplitter.Split(text).Select(s => text.Substring(s.Start, s.Length));
}

using Rag.Compression.Extractive;
using Rag.Text;

namespace Rag.Compression.Tests;

/// <summary>Units that follow a document's layout: whole items, rows, definitions and sentences, with exact spans.</summary>
public class UnitSplitterTests
{
    [Fact]
    public void Markdown_list_items_stay_whole_with_their_continuation_lines_and_never_span_two_items()
    {
        const string text = """
            ## Install

            The installer checks three things. It needs a network.

            - Downloads the archive over HTTPS and
              verifies its checksum. Retries twice.
            - Unpacks into /opt/tool.
              * A nested item about permissions.
            1. Run `tool init`.
            """;

        var units = Units(text);

        Assert.Equal(
        [
            (UnitKind.Heading, "## Install"),
            (UnitKind.Sentence, "The installer checks three things."),
            (UnitKind.Sentence, "It needs a network."),
            (UnitKind.Item, "- Downloads the archive over HTTPS and\n  verifies its checksum. Retries twice."),
            (UnitKind.Item, "- Unpacks into /opt/tool."),
            (UnitKind.Item, "* A nested item about permissions."),
            (UnitKind.Item, "1. Run `tool init`."),
        ], units);
    }

    [Fact]
    public void A_news_file_gives_outline_headings_and_whole_items_with_or_without_markers()
    {
        const string text = """
            * Noteworthy changes in release 9.1 (2022-04-15) [stable]

            ** Bug fixes

              chmod -R no longer exits with error status when encountering symlinks.
              All files would be processed correctly, but the exit status was incorrect.
              [bug introduced in coreutils-9.0]

              'id xyz' now uses the name 'xyz' to determine groups.

            CHANGES WITH 252:

                    * The system manager now supports
                      soft reboots of the user space.

                    * journalctl gained --truncate-newline.
            """;

        var units = Units(text);

        Assert.Equal(
        [
            (UnitKind.Heading, "* Noteworthy changes in release 9.1 (2022-04-15) [stable]"),
            (UnitKind.Heading, "** Bug fixes"),
            (UnitKind.Item, "chmod -R no longer exits with error status when encountering symlinks.\n  All files would be processed correctly, but the exit status was incorrect.\n  [bug introduced in coreutils-9.0]"),
            (UnitKind.Sentence, "'id xyz' now uses the name 'xyz' to determine groups."),
            (UnitKind.Heading, "CHANGES WITH 252:"),
            (UnitKind.Item, "* The system manager now supports\n          soft reboots of the user space."),
            (UnitKind.Item, "* journalctl gained --truncate-newline."),
        ], units);
    }

    [Fact]
    public void A_manual_page_gives_terms_with_their_definitions()
    {
        const string text = """
            OPTIONS
               Operation modifiers
                   -k, --keep-old-files
                          don't replace existing files when extracting,
                          treat them as errors

                   --overwrite
                          Overwrite existing files when extracting.
            """;

        var units = Units(text);

        Assert.Equal(
        [
            (UnitKind.Heading, "OPTIONS"),
            (UnitKind.Heading, "Operation modifiers"),
            (UnitKind.Term, "-k, --keep-old-files\n              don't replace existing files when extracting,\n              treat them as errors"),
            (UnitKind.Term, "--overwrite\n              Overwrite existing files when extracting."),
        ], units);
    }

    [Fact]
    public void Table_rows_and_fenced_code_are_units_of_their_own()
    {
        const string text = "| option | default |\n|---|---|\n| wal_level | replica |\n\n```\nint x = 1;\nreturn x;\n```\n";

        var units = Units(text);

        Assert.Equal(
        [
            (UnitKind.Row, "| option | default |"),
            (UnitKind.Row, "|---|---|"),
            (UnitKind.Row, "| wal_level | replica |"),
            (UnitKind.Code, "```\nint x = 1;\nreturn x;\n```"),
        ], units);
    }

    [Fact]
    public void An_item_longer_than_the_limit_is_cut_at_its_sentences_never_mid_sentence()
    {
        var sentence = "This sentence describes one more detail of a long release note item. ";
        var text = "- " + string.Concat(Enumerable.Repeat(sentence, 12)).TrimEnd() + "\n- Short item.";

        var units = UnitSplitter.Split(text);

        Assert.True(text.Length > UnitSplitter.MaxUnitCharacters);
        Assert.Equal(13, units.Count);
        Assert.All(units.Take(12), u => Assert.EndsWith("item.", text.Substring(u.Start, u.Length), StringComparison.Ordinal));
        Assert.Equal("- Short item.", text.Substring(units[^1].Start, units[^1].Length));
    }

    [Fact]
    public void Spans_are_exact_and_in_order_over_any_layout()
    {
        const string text = "Title\n=====\n\n  a. first\r\n  b. second\r\n\r\nPlain prose here. More prose.\n\t* tabbed item\n";

        var units = UnitSplitter.Split(text);

        for (var i = 0; i < units.Count; i++)
        {
            var piece = text.Substring(units[i].Start, units[i].Length);
            Assert.Equal(piece.Trim(), piece);
            Assert.NotEmpty(piece);
            if (i > 0)
                Assert.True(units[i].Start >= units[i - 1].Start + units[i - 1].Length);
        }

        Assert.Equal(["Title\n=====", "a. first", "b. second", "Plain prose here.", "More prose.", "* tabbed item"], units.Select(u => text.Substring(u.Start, u.Length)));
    }

    private static List<(UnitKind, string)> Units(string text) =>
        [.. UnitSplitter.Split(text).Select(u => (u.Kind, text.Substring(u.Start, u.Length)))];
}

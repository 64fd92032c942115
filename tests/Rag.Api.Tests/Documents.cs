using System.Text;

namespace Rag.Api.Tests;

/// <summary>Test documents with known facts in known places.</summary>
internal static class Documents
{
    /// <summary>
    /// Markdown of <paramref name="sections"/> sections of random harbour words (about 2 KB each) with
    /// one unique marker word, marker{number}x: documents that take real work to ingest and that a
    /// search finds exactly once.
    /// </summary>
    public static byte[] MarkedMarkdown(int number, int sections)
    {
        var text = new StringBuilder($"# Document {number}\n\nThis document carries marker{number}x exactly once.\n\n");
        var random = new Random(number);
        string[] words = ["harbour", "tide", "pier", "vessel", "lantern", "rope", "anchor", "gull", "current", "fog", "keel", "mast"];
        for (var section = 0; section < sections; section++)
        {
            text.Append("## Section ").Append(section).Append("\n\n");
            for (var sentence = 0; sentence < 20; sentence++)
            {
                for (var word = 0; word < 14; word++)
                    text.Append(words[random.Next(words.Length)]).Append(' ');
                text.Append("ends here.\n");
            }

            text.Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public const string HandbookMarkdown = """
        # Harbour handbook

        ## Tides

        High water at the north pier comes forty minutes after high water at the river mouth.
        Pilots board inbound ships two miles out, by the fairway buoy.

        ## Lighthouse

        The lighthouse was built in 1854 by the harbour board. Its lamp is lit at dusk and put out at dawn.
        The keeper's cottage stands beside the tower and is now a small museum.

        ## Fees

        Mooring costs twelve euros a night for boats under ten metres.
        """;

    public const string FerryHtml = """
        <html><head><title>Ferry timetable</title></head>
        <body><h1>Ferry timetable</h1><p>The island ferry departs from berth seven at 08:15 and 17:40.</p>
        <script>var x = "ignore me";</script><h2>Tickets</h2><p>Return tickets are valid for thirty days.</p></body></html>
        """;

    public const string PythonCode = """
        def tide_offset(minutes):
            \"\"\"Minutes between river-mouth and north-pier high water.\"\"\"
            return minutes + 40


        class Berth:
            def __init__(self, number):
                self.number = number

            def describe(self):
                return f"berth {self.number}"
        """;

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}

using System.Security.Cryptography;
using System.Text;
using Rag.Retrieval.Chunking;
using Rag.Retrieval.Parsing;

namespace Rag.Retrieval.Tests;

/// <summary>
/// The chunks of every sample at several sizes, as digests recorded from the chunker that counted
/// each piece with its own call to the tokenizer (before counting once per character). Counting
/// differently must not move a single chunk boundary or token count. Record again only when the
/// chunking rules change on purpose: <c>RAG_RECORD_CHUNKS=1 dotnet test --filter ChunkGoldenTests</c>.
/// </summary>
public class ChunkGoldenTests
{
    private static readonly string GoldenFile = Path.Combine(SourceFolder(), "Samples", "chunks.golden");

    public static TheoryData<string, int, int> Cases()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var (sample, max, overlap) in AllCases())
            data.Add(sample, max, overlap);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Chunks_are_the_recorded_ones(string sample, int maxTokens, int overlapTokens)
    {
        var recorded = File.ReadAllLines(GoldenFile)
            .Select(line => line.Split(' '))
            .ToDictionary(parts => $"{parts[0]} {parts[1]} {parts[2]}", parts => $"{parts[3]} {parts[4]}");

        Assert.Equal(recorded[$"{sample} {maxTokens} {overlapTokens}"], Digest(sample, maxTokens, overlapTokens));
    }

    [Fact]
    public void Record_when_asked()
    {
        if (Environment.GetEnvironmentVariable("RAG_RECORD_CHUNKS") != "1")
            return; // the recorded file is checked by Chunks_are_the_recorded_ones
        File.WriteAllLines(GoldenFile, AllCases().Select(c => $"{c.Sample} {c.Max} {c.Overlap} {Digest(c.Sample, c.Max, c.Overlap)}"));
    }

    private static IEnumerable<(string Sample, int Max, int Overlap)> AllCases()
    {
        string[] samples = ["Inventory.cs", "ledger.py", "router.js", "queue.go", "Matrix.java", "ring.c", "guide.md", "page.html", "pdf", "long-text", "novel.md", "whitespace", "mixed", "mixed-plain", "code-ws"];
        (int, int)[] sizes = [(512, 64), (128, 16), (64, 16), (24, 8), (16, 4)];
        return samples.SelectMany(s => sizes.Select(z => (s, z.Item1, z.Item2)));
    }

    /// <summary>The chunk count and a SHA-256 of every chunk's start, length and token count.</summary>
    private static string Digest(string sample, int maxTokens, int overlapTokens)
    {
        var chunker = new DocumentChunker(TestSupport.Cl100k, new ChunkingOptions { MaxTokens = maxTokens, OverlapTokens = overlapTokens });
        var chunks = chunker.Chunk(Document(sample));
        var spans = string.Join("|", chunks.Select(c => $"{c.Start},{c.Length},{c.TokenCount},{c.Section}"));
        return $"{chunks.Count} {Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(spans)))[..32]}";
    }

    private static ParsedDocument Document(string sample) => sample switch
    {
        "whitespace" => new ParsedDocument(Tricky(seed: 7, length: 6_000, "  \t\n\r\n \n\n  ", "ab", "1234567", ".,;'!?"), new DocumentKind(DocumentFormat.Text)),
        "mixed" => new ParsedDocument(Tricky(seed: 11, length: 8_000, " \n", "héllo wörld ", "<|endoftext|>", "'s 've 'LL ", "日本語テキスト", "\U0001F600\U0001F680", "x = f(a[1], b) + 42;\n"), new DocumentKind(DocumentFormat.Markdown)),
        "mixed-plain" => new ParsedDocument(Tricky(seed: 13, length: 9_000, " \n", "\u00a0\u3000 \u2028", "héllo wörld ", "'s 've 'LL ", "日本語テキスト", "\U0001F600\U0001F680", "x = f(a[1], b) + 42;\n", "\n\n## Part\n"), new DocumentKind(DocumentFormat.Markdown)),
        "code-ws" => new ParsedDocument(Tricky(seed: 17, length: 7_000, "    ", "\t", "\r\n", "if (x) {\n", "}\n", "return y;", "// note\n", "12345"), new DocumentKind(DocumentFormat.Code, "c")),
        _ => ChunkingTests.Load(sample),
    };

    /// <summary>Text made of random runs of the given pieces: long whitespace runs, digits, contractions, special tokens, surrogate pairs.</summary>
    internal static string Tricky(int seed, int length, params string[] pieces)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        while (text.Length < length)
        {
            var piece = pieces[random.Next(pieces.Length)];
            var repeat = random.Next(1, 4);
            for (var i = 0; i < repeat; i++)
                text.Append(piece.AsSpan(0, random.Next(1, piece.Length + 1) is var n && char.IsHighSurrogate(piece[n - 1]) && n < piece.Length ? n + 1 : n));
        }

        return text.ToString();
    }

    private static string SourceFolder([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}

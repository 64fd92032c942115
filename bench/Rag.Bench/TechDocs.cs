using System.Text.Json;
using Rag.Text;

namespace Rag.Bench;

/// <summary>
/// The techdocs development set: 32 long technical documents of six kinds (plain-text release notes, Markdown
/// release notes, PostgreSQL's and GCC's HTML pages, manual pages rendered as text, PDFs) that
/// bench/techdocs/collect.sh gathers from Debian packages, and the questions in bench/techdocs/questions.jsonl —
/// written as users ask, without the answer sentence's distinctive words — each with its document, a short answer
/// string the document holds, and its split (by document: fit or test).
/// </summary>
internal static class TechDocs
{
    public sealed record Item(string Document, string Question, string Answer, bool Fit);

    /// <summary>Where collect.sh put the documents: $RAG_TECHDOCS, else /tmp/rag-techdocs.</summary>
    public static string Folder()
    {
        var folder = Environment.GetEnvironmentVariable("RAG_TECHDOCS") is { Length: > 0 } set ? set : "/tmp/rag-techdocs";
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"The techdocs documents are not in {folder}: run bench/techdocs/collect.sh (or set RAG_TECHDOCS).");
        return folder;
    }

    /// <summary>The units of a file as ingestion cuts them, one line each (for looking at what the splitter does).</summary>
    public static void PrintUnits(string path)
    {
        var kind = Rag.Retrieval.Parsing.DocumentKinds.Detect(path, null) ?? new Rag.Retrieval.Parsing.DocumentKind(Rag.Retrieval.Parsing.DocumentFormat.Text);
        var parsed = Rag.Retrieval.Parsing.DocumentParser.Parse(File.ReadAllBytes(path), kind, CancellationToken.None);
        var chunker = new Rag.Retrieval.Chunking.DocumentChunker(Microsoft.ML.Tokenizers.TiktokenTokenizer.CreateForModel("gpt-4"), new Rag.Retrieval.Chunking.ChunkingOptions());
        foreach (var chunk in chunker.Chunk(parsed))
        {
            Console.WriteLine($"=== chunk {chunk.Index} [{chunk.Section}] {chunk.TokenCount} tokens");
            foreach (var unit in Rag.Text.UnitSplitter.Split(chunk.Text))
                Console.WriteLine($"  {unit.Kind,-8} {chunk.Text.Substring(unit.Start, unit.Length).ReplaceLineEndings("⏎")}");
        }
    }

    public static IReadOnlyList<Item> Questions()
    {
        var questions = new List<Item>();
        foreach (var line in File.ReadLines(Path.Combine(BenchArgs.Root(), "bench", "techdocs", "questions.jsonl")))
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            var item = JsonDocument.Parse(line).RootElement;
            questions.Add(new Item(item.GetProperty("document").GetString()!, item.GetProperty("question").GetString()!,
                item.GetProperty("answer").GetString()!, item.GetProperty("split").GetString() == "fit"));
        }

        return questions;
    }
}

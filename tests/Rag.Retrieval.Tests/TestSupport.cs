using Microsoft.ML.Tokenizers;
using Rag.Retrieval.Parsing;

namespace Rag.Retrieval.Tests;

internal static class TestSupport
{
    public static Tokenizer Cl100k { get; } = TiktokenTokenizer.CreateForEncoding("cl100k_base");

    public static string Sample(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", name));

    public static ParsedDocument Parse(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Samples", name));
        return DocumentParser.Parse(bytes, DocumentKinds.Detect(name, null)!);
    }

    public static byte[] Pdf(params string[][] pages) => Rag.Tests.Shared.TestFiles.Pdf(pages);

    public static string TempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "rag-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}

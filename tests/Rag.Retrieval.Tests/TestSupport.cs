using Microsoft.ML.Tokenizers;
using Rag.Retrieval.Parsing;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

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

    /// <summary>A real PDF with one text line per entry, one page per array.</summary>
    public static byte[] Pdf(params string[][] pages)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        foreach (var lines in pages)
        {
            var page = builder.AddPage(PageSize.A4);
            var y = 780.0;
            foreach (var line in lines)
            {
                page.AddText(line, 11, new PdfPoint(40, y), font);
                y -= 16;
            }
        }

        return builder.Build();
    }

    public static string TempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "rag-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}

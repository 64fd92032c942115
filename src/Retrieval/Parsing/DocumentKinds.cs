namespace Rag.Retrieval.Parsing;

/// <summary>
/// Decides what a file is from its name and declared media type. The extension wins because
/// browsers and curl send <c>application/octet-stream</c> for most files.
/// </summary>
public static class DocumentKinds
{
    private static readonly Dictionary<string, DocumentKind> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".txt"] = new(DocumentFormat.Text),
        [".text"] = new(DocumentFormat.Text),
        [".log"] = new(DocumentFormat.Text),
        [".csv"] = new(DocumentFormat.Text),
        [".rst"] = new(DocumentFormat.Text),
        [".md"] = new(DocumentFormat.Markdown),
        [".markdown"] = new(DocumentFormat.Markdown),
        [".html"] = new(DocumentFormat.Html),
        [".htm"] = new(DocumentFormat.Html),
        [".xhtml"] = new(DocumentFormat.Html),
        [".pdf"] = new(DocumentFormat.Pdf),
        [".cs"] = Code("csharp"),
        [".py"] = Code("python"),
        [".pyi"] = Code("python"),
        [".js"] = Code("javascript"),
        [".mjs"] = Code("javascript"),
        [".cjs"] = Code("javascript"),
        [".jsx"] = Code("javascript"),
        [".ts"] = Code("typescript"),
        [".tsx"] = Code("typescript"),
        [".java"] = Code("java"),
        [".kt"] = Code("kotlin"),
        [".scala"] = Code("scala"),
        [".go"] = Code("go"),
        [".rs"] = Code("rust"),
        [".swift"] = Code("swift"),
        [".php"] = Code("php"),
        [".c"] = Code("c"),
        [".h"] = Code("c"),
        [".cc"] = Code("cpp"),
        [".cpp"] = Code("cpp"),
        [".cxx"] = Code("cpp"),
        [".hpp"] = Code("cpp"),
        [".hh"] = Code("cpp"),
    };

    private static readonly Dictionary<string, DocumentKind> ByMediaType = new(StringComparer.OrdinalIgnoreCase)
    {
        ["text/plain"] = new(DocumentFormat.Text),
        ["text/markdown"] = new(DocumentFormat.Markdown),
        ["text/x-markdown"] = new(DocumentFormat.Markdown),
        ["text/html"] = new(DocumentFormat.Html),
        ["application/xhtml+xml"] = new(DocumentFormat.Html),
        ["application/pdf"] = new(DocumentFormat.Pdf),
        ["text/x-csharp"] = Code("csharp"),
        ["text/x-python"] = Code("python"),
        ["text/javascript"] = Code("javascript"),
        ["application/javascript"] = Code("javascript"),
        ["text/x-java"] = Code("java"),
        ["text/x-go"] = Code("go"),
        ["text/x-c"] = Code("c"),
        ["text/x-c++"] = Code("cpp"),
    };

    /// <summary>The file extensions accepted, for error messages and docs.</summary>
    public static IReadOnlyCollection<string> Extensions => ByExtension.Keys;

    /// <summary>
    /// The kind of a file, or <see langword="null"/> when neither its extension nor its media type is supported.
    /// </summary>
    public static DocumentKind? Detect(string? fileName, string? mediaType)
    {
        var extension = string.IsNullOrEmpty(fileName) ? "" : Path.GetExtension(fileName);
        if (extension.Length > 0 && ByExtension.TryGetValue(extension, out var byName))
            return byName;

        var media = mediaType?.Split(';', 2)[0].Trim();
        if (!string.IsNullOrEmpty(media) && ByMediaType.TryGetValue(media, out var byType))
            return byType;

        // A name without an extension, sent as plain text or with no type, is text.
        if (extension.Length == 0 && (string.IsNullOrEmpty(media) || media.StartsWith("text/", StringComparison.OrdinalIgnoreCase)))
            return new DocumentKind(DocumentFormat.Text);
        return null;
    }

    private static DocumentKind Code(string language) => new(DocumentFormat.Code, language);
}

using Rag.Text.Code;

namespace Rag.Retrieval.Parsing;

/// <summary>
/// Decides what a file is from its name and declared media type. The extension wins because
/// browsers and curl send <c>application/octet-stream</c> for most files. Code files are the
/// languages of <see cref="CodeLanguages"/>, by their extensions and media types.
/// </summary>
public static class DocumentKinds
{
    private static readonly Dictionary<string, DocumentKind> ByExtension = WithCode(l => l.Extensions, new(StringComparer.OrdinalIgnoreCase)
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
    });

    private static readonly Dictionary<string, DocumentKind> ByMediaType = WithCode(l => l.MediaTypes, new(StringComparer.OrdinalIgnoreCase)
    {
        ["text/plain"] = new(DocumentFormat.Text),
        ["text/markdown"] = new(DocumentFormat.Markdown),
        ["text/x-markdown"] = new(DocumentFormat.Markdown),
        ["text/html"] = new(DocumentFormat.Html),
        ["application/xhtml+xml"] = new(DocumentFormat.Html),
        ["application/pdf"] = new(DocumentFormat.Pdf),
    });

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

    private static Dictionary<string, DocumentKind> WithCode(Func<CodeLanguage, IEnumerable<string>> keys, Dictionary<string, DocumentKind> kinds)
    {
        foreach (var language in CodeLanguages.All)
        {
            foreach (var key in keys(language))
                kinds[key] = new DocumentKind(DocumentFormat.Code, language.Name);
        }

        return kinds;
    }
}

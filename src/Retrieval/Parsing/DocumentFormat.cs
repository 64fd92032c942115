namespace Rag.Retrieval.Parsing;

/// <summary>The kinds of document the ingestion pipeline understands.</summary>
public enum DocumentFormat
{
    /// <summary>Plain UTF-8 text.</summary>
    Text,

    /// <summary>Markdown (CommonMark); chunked by headings.</summary>
    Markdown,

    /// <summary>HTML; visible text is extracted and headings are kept as Markdown headings.</summary>
    Html,

    /// <summary>PDF; text is extracted page by page with PdfPig.</summary>
    Pdf,

    /// <summary>Source code; chunked by function and class.</summary>
    Code,
}

namespace Rag.Client;

/// <summary>Links to a span of a document's parsed text (characters <c>[start, end)</c>, an RFC 5147 <c>#char=</c> fragment).</summary>
public static class RagLinks
{
    /// <summary>The service's chunks of the document, at the span: <c>{service}/v1/collections/{c}/documents/{id}/chunks#char=a,b</c>.</summary>
    public static Uri Service(Uri baseAddress, string collection, string documentId, int start, int end)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        return new(baseAddress, $"v1/collections/{Uri.EscapeDataString(collection)}/documents/{Uri.EscapeDataString(documentId)}/chunks#char={start},{end}");
    }

    /// <summary>A document of Rag in this process, at the span: <c>rag://{collection}/{id}#char=a,b</c>.</summary>
    public static Uri InProcess(string collection, string documentId, int start, int end) =>
        new($"rag://{Uri.EscapeDataString(collection)}/{Uri.EscapeDataString(documentId)}#char={start},{end}");
}

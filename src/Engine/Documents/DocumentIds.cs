using System.Security.Cryptography;
using System.Text;

namespace Rag.Engine.Documents;

/// <summary>
/// Document ids derive from the content and the collection, so the same bytes in a collection are one
/// document no matter how many uploads race for it — and the same bytes in two collections have ids
/// that share nothing: an id seen in one tenant's collection says nothing about another's.
/// </summary>
public static class DocumentIds
{
    /// <summary>The SHA-256 of the content, lower-case hex.</summary>
    public static string ContentHash(ReadOnlySpan<byte> content) =>
        Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>
    /// The document id: <c>doc_</c> and 24 hex digits (96 bits) of an HMAC-SHA-256 of the content hash,
    /// keyed by the collection name.
    /// </summary>
    public static string For(string collection, string contentHash)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(contentHash);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes("rag-document-id:" + collection), Encoding.ASCII.GetBytes(contentHash));
        return "doc_" + Convert.ToHexStringLower(mac)[..24];
    }

    /// <summary>The id versions before collection-keyed ids gave the same content (the first 24 hex digits of its hash); found so that re-uploads still deduplicate.</summary>
    public static string Legacy(string contentHash)
    {
        ArgumentNullException.ThrowIfNull(contentHash);
        return "doc_" + contentHash[..24];
    }
}

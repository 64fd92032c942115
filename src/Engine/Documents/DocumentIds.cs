using System.Security.Cryptography;

namespace Rag.Engine.Documents;

/// <summary>
/// Document ids derive from the content hash, so the same bytes in a collection are one document
/// no matter how many uploads race for it.
/// </summary>
public static class DocumentIds
{
    /// <summary>The SHA-256 of the content, lower-case hex.</summary>
    public static string ContentHash(ReadOnlySpan<byte> content) =>
        Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The document id for a content hash: <c>doc_</c> and its first 24 hex digits (96 bits).</summary>
    public static string FromHash(string contentHash)
    {
        ArgumentNullException.ThrowIfNull(contentHash);
        return "doc_" + contentHash[..24];
    }
}

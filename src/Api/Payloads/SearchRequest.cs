using Rag.Engine.Search;

namespace Rag.Api.Payloads;

/// <summary>A search.</summary>
/// <param name="Query">Free text (required).</param>
/// <param name="TopK">Chunks to return, 1–100 (default 10).</param>
/// <param name="Tags">Only chunks of documents carrying all these tags.</param>
/// <param name="Mode">lexical, dense or hybrid; default hybrid when the service has an embedder, else lexical.</param>
public sealed record SearchRequest(string? Query, int? TopK = null, IList<string>? Tags = null, SearchMode? Mode = null);

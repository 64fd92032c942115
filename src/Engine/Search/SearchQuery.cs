namespace Rag.Engine.Search;

/// <summary>A search in one collection.</summary>
/// <param name="Query">Free text.</param>
/// <param name="TopK">How many chunks to return.</param>
/// <param name="Tags">Only chunks of documents carrying all these tags.</param>
/// <param name="Mode">Lexical, dense or hybrid; null picks hybrid when an embedder is configured, else lexical.</param>
/// <param name="Scope">Who asks (one tenant): the scope its query vector is kept in for a repeat; null keeps none.</param>
public sealed record SearchQuery(string Query, int TopK, IReadOnlyList<string> Tags, SearchMode? Mode = null, string? Scope = null);

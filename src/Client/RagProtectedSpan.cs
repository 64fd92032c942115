namespace Rag.Client;

/// <summary>A range of a context item to keep whole, in the item's characters (end exclusive).</summary>
public sealed record RagProtectedSpan(int Context, int Start, int End);

namespace Rag.Client;

/// <summary>A kept piece of the input: context item and character offsets into it.</summary>
public sealed record RagKeptSpan(int Context, int Start, int End);

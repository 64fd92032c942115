namespace Rag.Compression;

/// <summary>A kept piece of the input: context item and character offsets into it as given (end exclusive).</summary>
public sealed record KeptSpan(int Context, int Start, int End);

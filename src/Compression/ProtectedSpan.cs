namespace Rag.Compression;

/// <summary>A range of context item <see cref="Context"/> to keep whole.</summary>
public sealed record ProtectedSpan(int Context, int Start, int End);

namespace Rag.Compression.Extractive;

/// <summary>A sentence of a passage: [Start, Start + Length) in the passage's text.</summary>
public readonly record struct Sentence(int Start, int Length);

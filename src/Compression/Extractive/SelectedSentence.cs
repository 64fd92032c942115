namespace Rag.Compression.Extractive;

/// <summary>A sentence chosen for the answer: its passage, its span in the passage and its score.</summary>
public sealed record SelectedSentence(Passage Passage, int Start, int Length, string Text, double Score, int Tokens);

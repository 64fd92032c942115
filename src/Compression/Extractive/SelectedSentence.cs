namespace Rag.Compression.Extractive;

/// <summary>A sentence chosen for the answer: its passage, its span [Start, End) in the passage and its score.</summary>
public sealed record SelectedSentence(Passage Passage, int Start, int End, string Text, double Score, int Tokens)
{
    /// <summary>The span's length in UTF-16 code units.</summary>
    public int Length => End - Start;
}

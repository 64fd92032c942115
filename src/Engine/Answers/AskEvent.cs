namespace Rag.Engine.Answers;

/// <summary>One event of a streamed answer: a piece of text, or (last) the whole result.</summary>
/// <param name="Text">Text to append to the answer so far.</param>
/// <param name="Result">The complete answer with citations and figures, on the last event only.</param>
public sealed record AskEvent(string? Text, AskResult? Result);

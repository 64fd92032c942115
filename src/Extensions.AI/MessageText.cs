namespace Rag.Extensions.AI;

/// <summary>A message's role and text, as the compressor sees it.</summary>
/// <param name="Role">system, user, assistant or tool.</param>
/// <param name="Text">The text content.</param>
public sealed record MessageText(string Role, string Text);

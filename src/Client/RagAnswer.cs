using System.Text.Json;

namespace Rag.Client;

/// <summary>An answer: text with [n] markers, how it was made, and the numbered sources.</summary>
public sealed record RagAnswer(string Answer, string Mode, string? Note, IReadOnlyList<RagCitation> Citations, JsonElement Figures, string? CompressedPrompt = null);

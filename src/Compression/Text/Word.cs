namespace Rag.Compression.Text;

/// <summary>
/// The smallest piece compression keeps or drops: a word with the white space before it, inside
/// one context item. Units are cut between whole text elements (never inside a surrogate pair or a
/// combining sequence), so kept text is always valid UTF-8 — the complaint about byte-level token
/// dropping in other compressors cannot arise.
/// </summary>
/// <param name="Item">Index of the context item.</param>
/// <param name="Start">Start in the item's clean text (keep markup removed).</param>
/// <param name="End">End, exclusive.</param>
/// <param name="Tokens">Tokens of the unit in the budget tokenizer.</param>
/// <param name="Protected">Inside a protected span: always kept.</param>
public readonly record struct Word(int Item, int Start, int End, int Tokens, bool Protected)
{
    /// <summary>Characters in the unit.</summary>
    public int Length => End - Start;
}

namespace Rag.Text;

/// <summary>A unit of a passage (a sentence, a list item, a row…): [Start, Start + Length) in the passage's text.</summary>
/// <param name="Start">Offset of the first character.</param>
/// <param name="Length">Length in UTF-16 code units.</param>
/// <param name="Kind">What the unit is in the passage's structure.</param>
public readonly record struct Unit(int Start, int Length, UnitKind Kind = UnitKind.Sentence);

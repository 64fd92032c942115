namespace Rag.Text;

/// <summary>A unit of a passage (a sentence, a list item, a row…): the span [Start, End) in the passage's text.</summary>
/// <param name="Start">Offset of the first character (UTF-16 code units).</param>
/// <param name="End">Offset just past the last character.</param>
/// <param name="Kind">What the unit is in the passage's structure.</param>
public readonly record struct Unit(int Start, int End, UnitKind Kind = UnitKind.Sentence)
{
    /// <summary>Its length in UTF-16 code units.</summary>
    public int Length => End - Start;
}


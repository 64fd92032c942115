namespace Rag.Text;

/// <summary>What a unit is in its passage's structure (<see cref="UnitSplitter"/>).</summary>
public enum UnitKind
{
    /// <summary>A sentence of prose.</summary>
    Sentence,

    /// <summary>One list item with its continuation lines.</summary>
    Item,

    /// <summary>A heading: names a topic, answers nothing.</summary>
    Heading,

    /// <summary>One table row.</summary>
    Row,

    /// <summary>A term with its indented definition (an option of a manual page).</summary>
    Term,

    /// <summary>A fenced code block, or one line of code.</summary>
    Code,
}

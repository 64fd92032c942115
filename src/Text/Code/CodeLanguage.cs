using System.Text.RegularExpressions;

namespace Rag.Text.Code;

/// <summary>
/// A programming language as ingestion and compression know it: how files of it are recognised, how
/// the chunker cuts it, and how LongCodeZip finds its functions. One per file under Code/Languages,
/// registered in <see cref="CodeLanguages"/>.
/// </summary>
/// <param name="Name">The name requests and documents use (<c>content_type</c>, a document's kind).</param>
/// <param name="Aliases">Other names a request may give (<c>py</c>, <c>c#</c>).</param>
/// <param name="Extensions">File extensions, with the dot.</param>
/// <param name="MediaTypes">Media types uploads may declare.</param>
/// <param name="Structure">How the chunker cuts it into units.</param>
/// <param name="Definition">A line that opens a function, method, class or type (LongCodeZip's coarse split); null: blank-line blocks.</param>
/// <param name="Hint">Text that says a context is in this language when no language is given; null: never guessed.</param>
/// <param name="HintMatches">How many times <paramref name="Hint"/> must match.</param>
/// <param name="Elision">The comment that marks elided code.</param>
public sealed record CodeLanguage(
    string Name,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> Extensions,
    IReadOnlyList<string> MediaTypes,
    CodeStructure Structure,
    Regex? Definition,
    Regex? Hint,
    int HintMatches,
    string Elision);

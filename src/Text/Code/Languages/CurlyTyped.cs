using System.Text.RegularExpressions;

namespace Rag.Text.Code.Languages;

/// <summary>Definitions in the typed curly-brace languages (C#, Java): a type, or a member whose signature opens a parameter list.</summary>
internal static partial class CurlyTyped
{
    [GeneratedRegex(@"^\s*((public|private|protected|internal|static|abstract|sealed|override|virtual|async|partial|final|synchronized|readonly|extern|unsafe|new)\s+)*((class|interface|struct|record|enum)\s+\w|[\w<>\[\],.?]+\s+\w+\s*(<[^>]*>)?\s*\([^;]*$)")]
    public static partial Regex Definition();
}

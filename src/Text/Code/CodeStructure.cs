namespace Rag.Text.Code;

/// <summary>How the chunker finds a language's units (types, functions, statements).</summary>
public enum CodeStructure
{
    /// <summary>Brace matching, skipping strings and comments (C-like languages).</summary>
    Braces,

    /// <summary>Indentation and statements (Python).</summary>
    Indentation,

    /// <summary>The C# syntax tree (Roslyn): namespaces, types, members.</summary>
    CSharpSyntax,
}

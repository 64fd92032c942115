namespace Rag.Storage.Embedded;

/// <summary>The embedded adapter's log event ids (their range, 1250–1299, is this adapter's; ids never change meaning).</summary>
internal static class EmbeddedLogEvents
{
    /// <summary>The shared lexical index of earlier versions was split into one index per collection.</summary>
    public const int LexicalMigrated = 1250;
}

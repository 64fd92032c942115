namespace Rag.Tests.Shared;

/// <summary>
/// Two release-notes files and a paraphrased question (tests/Shared): the answer is one item of a chunk about a dozen
/// unrelated things, while the other file is about the question's topic and shares a word with it — so BM25 and the
/// chunks' own vectors prefer the wrong file and only the item's own vector finds the right one.
/// </summary>
internal static class ReleaseNotes
{
    // Release notes as users upload them: many unrelated items under version headings.
    public const string Tool = """
        Tool NEWS

        * Noteworthy changes in release 9.2

        ** Bug fixes

          - ls no longer misaligns columns when file names contain wide characters.
          - cp --reflink now falls back to a regular copy on file systems without support.
          - date parses week numbers in ISO 8601 strings again.
          - install now says what happens when a target directory is missing.
          - tail -f no longer busy-waits on pipes.
          - sort can now order inputs larger than main memory by spilling sorted runs to temporary files.
          - chmod reports the right mode in verbose output for symbolic links.

        ** New features

          - du accepts --inodes to count index nodes instead of blocks.
          - printf supports the %q directive for shell quoting.
          - stat shows birth times on file systems that record them.
          - uniq gains --group to separate runs of equal lines.
        """;

    public const string Allocator = """
        Allocator NEWS

        * Noteworthy changes in release 3.1

          - The allocator returns freed memory to the operating system sooner.
          - Memory usage statistics are printed when the environment variable is set.
          - Large allocations use huge pages when the kernel provides them.
          - The heap checker reports what happens to leaked blocks at exit.
          - Thread caches are smaller, lowering the resident size of idle programs.
          - Long-running services now keep less in memory.
          - The debugging hooks can be set per thread.
          - Arenas are created lazily on first use.
          - Allocation failures name the size that was asked for.
        """;

    public const string Question = "What happens when the data to be arranged is too big for RAM?";

    /// <summary>The item that answers <see cref="Question"/>, whole.</summary>
    public const string AnsweringItem = "- sort can now order inputs larger than main memory by spilling sorted runs to temporary files.";
}

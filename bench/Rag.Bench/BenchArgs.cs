namespace Rag.Bench;

/// <summary>What every runner in the bench needs: the repository's folders and its command-line options.</summary>
internal static class BenchArgs
{
    /// <summary>The folder holding Rag.sln, found upwards from the bench's output folder.</summary>
    public static string Root()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Rag.sln")))
                return folder.FullName;
        }

        throw new DirectoryNotFoundException("Rag.sln not found above the bench's folder.");
    }

    /// <summary>The evaluation data beside the repository (../shared/data).</summary>
    public static string Data() => Path.GetFullPath(Path.Combine(Root(), "..", "shared", "data"));

    /// <summary>The value after <paramref name="name"/>, if given.</summary>
    public static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}

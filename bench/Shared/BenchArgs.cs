namespace Rag.Bench;

/// <summary>
/// What every runner in the bench needs (Rag.Bench and the soak driver compile this one file): the repository's
/// folders and its command-line options.
/// </summary>
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

    /// <summary>The whole number after <paramref name="name"/>, else <paramref name="fallback"/>.</summary>
    public static int Int(string[] args, string name, int fallback) =>
        Option(args, name) is { } value ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : fallback;

    /// <summary>The number after <paramref name="name"/>, else <paramref name="fallback"/>.</summary>
    public static double Double(string[] args, string name, double fallback) =>
        Option(args, name) is { } value ? double.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : fallback;

    /// <summary>Whether the switch <paramref name="name"/> is given.</summary>
    public static bool Flag(string[] args, string name) => Array.IndexOf(args, name) >= 0;

    /// <summary>Every value given after a repeated <paramref name="name"/>, in order.</summary>
    public static IReadOnlyList<string> All(string[] args, string name) =>
        [.. args.Select((a, i) => (a, i)).Where(p => p.a == name && p.i + 1 < args.Length).Select(p => args[p.i + 1])];

    /// <summary>Refuses an argument that is neither a known switch nor the value of a known option, listing <paramref name="usage"/>.</summary>
    public static void Check(string[] args, IReadOnlyCollection<string> options, IReadOnlyCollection<string> switches, string usage)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (options.Contains(args[i]))
                i++;
            else if (!switches.Contains(args[i]))
                throw new ArgumentException($"Unknown argument {args[i]}. Use {usage}");
        }
    }
}

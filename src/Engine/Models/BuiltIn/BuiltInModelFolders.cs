using System.Security.Cryptography;
using System.Text;

namespace Rag.Engine.Models.BuiltIn;

/// <summary>
/// Writes a built-in encoder's model folder (model.onnx, vocab.txt, config.json) under a models
/// folder the first time it is needed, and checks it at every start: each file's length and SHA-256
/// must be the pinned ones, or the file is written again. Writers take an exclusive lock file, write
/// to a temporary name and rename into place, so processes starting at once end with one good folder
/// and a reader never sees half a file.
/// </summary>
internal static class BuiltInModelFolders
{
    /// <summary>Where the packages' DLLs are copied beside the service (see Rag.Engine.csproj).</summary>
    public static string AssemblyFolder => Path.Combine(AppContext.BaseDirectory, "builtin", "encoders");

    /// <summary>The folder of <paramref name="encoder"/> under <paramref name="root"/>, written or repaired first if needed.</summary>
    public static string Ensure(BuiltInEncoder encoder, string root, CancellationToken cancellationToken = default) =>
        Ensure(encoder, root, Path.Combine(AssemblyFolder, encoder.AssemblyFile), cancellationToken);

    internal static string Ensure(BuiltInEncoder encoder, string root, string assemblyPath, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetFullPath(root), encoder.Name);
        if (Damaged(encoder, folder).Count == 0)
            return folder;

        Directory.CreateDirectory(folder);
        using var held = Lock(Path.Combine(folder, ".lock"), cancellationToken);
        var damaged = Damaged(encoder, folder); // another process may have written it meanwhile
        if (damaged.Count == 0)
            return folder;
        if (!File.Exists(assemblyPath))
        {
            throw new ModelLoadException(
                $"The built-in encoder '{encoder.Name}' is read from {assemblyPath}, which is missing. Rag.Engine's build copies it "
                + "there from its NuGet package reference; publish or build the service again, or set Rag:Models:Embedder:Path to a model folder.");
        }

        var resources = ManifestResources.List(assemblyPath);
        foreach (var name in damaged)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (name == "config.json")
            {
                Replace(folder, name, stream => stream.Write(Encoding.UTF8.GetBytes(encoder.ConfigJson)));
                continue;
            }

            var file = encoder.Files.Single(f => f.Name == name);
            if (!resources.TryGetValue(encoder.ResourcePrefix + name, out var range))
                throw new ModelLoadException($"{assemblyPath} has no resource {encoder.ResourcePrefix + name}.");
            Replace(folder, name, target =>
            {
                using var source = ManifestResources.Open(assemblyPath, range);
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[1 << 20];
                long length = 0;
                int read;
                while ((read = source.Read(buffer)) > 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    hash.AppendData(buffer, 0, read);
                    target.Write(buffer, 0, read);
                    length += read;
                }

                var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
                if (length != file.Length || sha != file.Sha256)
                {
                    throw new ModelLoadException(
                        $"{assemblyPath}: resource {encoder.ResourcePrefix + name} is {length} bytes with SHA-256 {sha}; this build expects "
                        + $"{file.Length} bytes with SHA-256 {file.Sha256} (SentenceTransformers packages 24.9.52193).");
                }
            });
        }

        return folder;
    }

    /// <summary>The files of the folder that are missing or not the pinned bytes.</summary>
    internal static List<string> Damaged(BuiltInEncoder encoder, string folder)
    {
        var damaged = new List<string>();
        foreach (var file in encoder.Files)
        {
            var path = Path.Combine(folder, file.Name);
            if (!File.Exists(path) || new FileInfo(path).Length != file.Length || Sha256Of(path) != file.Sha256)
                damaged.Add(file.Name);
        }

        var config = Path.Combine(folder, "config.json");
        if (!File.Exists(config) || File.ReadAllText(config) != encoder.ConfigJson)
            damaged.Add("config.json");
        return damaged;
    }

    private static string Sha256Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Writes a temporary file next to the target, then renames it over the target (atomic on one file system).</summary>
    private static void Replace(string folder, string name, Action<Stream> write)
    {
        var temporary = Path.Combine(folder, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path.Combine(folder, name), overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// An exclusive lock on <paramref name="path"/> held while the returned stream is open. On Linux and
    /// macOS .NET takes it with flock, so it holds across processes; it is released when its holder exits.
    /// </summary>
    private static FileStream Lock(string path, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(100));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }
}

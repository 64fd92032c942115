using System.Security.Cryptography;

namespace Rag.Engine.Models;

/// <summary>
/// A short, stable id for a model folder: its name and a hash of config.json, the model file's
/// length and its first megabyte. Hashing every byte of a multi-gigabyte model at each start
/// would cost seconds; this catches re-exports and swapped weights in practice.
/// </summary>
internal static class ModelIdentity
{
    public static string Of(string folder, string modelFile)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(File.ReadAllBytes(Path.Combine(folder, "config.json")));
        var model = new FileInfo(modelFile);
        hash.AppendData(BitConverter.GetBytes(model.Length));
        using (var stream = model.OpenRead())
        {
            var head = new byte[(int)Math.Min(model.Length, 1 << 20)];
            stream.ReadExactly(head);
            hash.AppendData(head);
        }

        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        return $"{name}@{Convert.ToHexStringLower(hash.GetHashAndReset())[..12]}";
    }
}

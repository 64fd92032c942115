using System.Security.Cryptography;

namespace Rag.Engine.Models;

/// <summary>
/// A short, stable id for a model folder: its name and a hash of config.json, the model file's
/// length and its first megabyte. Hashing every byte of a multi-gigabyte model at each start
/// would cost seconds; this catches re-exports and swapped weights in practice. The search-fusion
/// keys (<c>hybrid_*</c>) are left out: re-fitting how results are fused changes no vector, so it
/// must not make every stored vector look foreign and be embedded again.
/// </summary>
internal static class ModelIdentity
{
    public static string Of(string folder, string modelFile)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(ConfigBytes(Path.Combine(folder, "config.json")));
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

    /// <summary>config.json's bytes as they are, or without the fusion keys when it has any.</summary>
    private static byte[] ConfigBytes(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (System.Text.Json.Nodes.JsonNode.Parse(bytes) is not System.Text.Json.Nodes.JsonObject json)
            return bytes;
        var fusion = json.Select(p => p.Key).Where(k => k.StartsWith("hybrid_", StringComparison.Ordinal)).ToList();
        if (fusion.Count == 0)
            return bytes;
        foreach (var key in fusion)
            json.Remove(key);
        return System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
    }
}

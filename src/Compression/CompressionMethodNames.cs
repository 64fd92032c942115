using System.Reflection;
using System.Text.Json.Serialization;

namespace Rag.Compression;

/// <summary>The names methods have on the wire (<c>longcodezip</c>, <c>coarse_to_fine</c>), in JSON bodies, figures and messages alike.</summary>
public static class CompressionMethodNames
{
    /// <summary>The method's name as requests and responses spell it (its <see cref="JsonStringEnumMemberNameAttribute"/>).</summary>
    public static string WireName(this CompressionMethod method) =>
        typeof(CompressionMethod).GetField(method.ToString())?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
        ?? method.ToString().ToLowerInvariant();

    /// <summary>The method a wire name (or the enum's own name, any case) stands for.</summary>
    public static CompressionMethod Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var method in Enum.GetValues<CompressionMethod>())
        {
            if (string.Equals(method.WireName(), name, StringComparison.OrdinalIgnoreCase) || string.Equals(method.ToString(), name, StringComparison.OrdinalIgnoreCase))
                return method;
        }

        throw new ArgumentException($"'{name}' is not a compression method.", nameof(name));
    }
}

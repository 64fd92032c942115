using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Rag.Compression.Methods;

namespace Rag.Compression;

/// <summary>
/// A compression method, by its wire name (<c>coarse_to_fine</c>, <c>longcodezip</c>): the name requests,
/// responses, figures and messages use. <c>auto</c> (the default value) and <c>none</c> are the compressor's own;
/// every other name is a method registered in <see cref="CompressionMethods"/>, and only those parse.
/// </summary>
[JsonConverter(typeof(CompressionMethodJsonConverter))]
[TypeConverter(typeof(CompressionMethodTypeConverter))]
public readonly struct CompressionMethod : IEquatable<CompressionMethod>
{
    private readonly string? _name;

    private CompressionMethod(string name) => _name = name;

    /// <summary>Code → longcodezip; text with a question → coarse_to_fine; text without one → segment.</summary>
    public static CompressionMethod Auto { get; } = Named("auto");

    /// <summary>Pass through.</summary>
    public static CompressionMethod None { get; } = Named("none");

    /// <summary>Per-segment token pruning by surprisal (<see cref="SegmentMethod"/>).</summary>
    public static CompressionMethod Segment { get; } = Named("segment");

    /// <summary>LongCodeZip for code (<see cref="LongCodeZipMethod"/>).</summary>
    public static CompressionMethod LongCodeZip { get; } = Named("longcodezip");

    /// <summary>GemFilter: early-layer attention picks what to keep (<see cref="GemFilterMethod"/>).</summary>
    public static CompressionMethod GemFilter { get; } = Named("gemfilter");

    /// <summary>Question-aware coarse-to-fine, after LongLLMLingua (<see cref="CoarseToFineMethod"/>).</summary>
    public static CompressionMethod CoarseToFine { get; } = Named("coarse_to_fine");

    /// <summary>Baseline: keep the start (<see cref="TruncateMethod"/>).</summary>
    public static CompressionMethod Truncate { get; } = Named("truncate");

    /// <summary>Baseline: drop words at random, seeded (<see cref="RandomMethod"/>).</summary>
    public static CompressionMethod Random { get; } = Named("random");

    /// <summary>The wire name.</summary>
    public string Name => _name ?? "auto";

    /// <summary>
    /// The method called <paramref name="name"/>, for a method's own <see cref="MethodDescription.Method"/>. Requests go
    /// through <see cref="TryParse"/>, which knows only the registered names.
    /// </summary>
    /// <param name="name">Lower case, words joined by '_'.</param>
    public static CompressionMethod Named(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new CompressionMethod(name);
    }

    /// <summary>The method a name stands for: a wire name, or one without its underscores (<c>CoarseToFine</c>), any case.</summary>
    /// <param name="name">The name.</param>
    /// <param name="method">The method, when the name is known.</param>
    public static bool TryParse(string? name, out CompressionMethod method)
    {
        method = default;
        if (string.IsNullOrWhiteSpace(name))
            return false;
        var wanted = Fold(name);
        foreach (var known in CompressionMethods.Names)
        {
            if (Fold(known) == wanted)
            {
                method = new CompressionMethod(known);
                return true;
            }
        }

        return false;
    }

    /// <summary>The method <paramref name="name"/> stands for (<see cref="TryParse"/>), or an error listing the names there are.</summary>
    /// <param name="name">The name.</param>
    public static CompressionMethod Parse(string name) => TryParse(name, out var method)
        ? method
        : throw new ArgumentException($"'{name}' is not a compression method; the methods are {string.Join(", ", CompressionMethods.Names)}.", nameof(name));

    /// <inheritdoc/>
    public bool Equals(CompressionMethod other) => string.Equals(Name, other.Name, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is CompressionMethod other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    /// <summary>The wire name.</summary>
    public override string ToString() => Name;

    /// <summary>Same method.</summary>
    public static bool operator ==(CompressionMethod left, CompressionMethod right) => left.Equals(right);

    /// <summary>Different methods.</summary>
    public static bool operator !=(CompressionMethod left, CompressionMethod right) => !left.Equals(right);

    private static string Fold(string name) => name.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
}

/// <summary>Reads and writes a method as its wire name; an unknown name is a JSON error that lists the methods.</summary>
internal sealed class CompressionMethodJsonConverter : JsonConverter<CompressionMethod>
{
    public override CompressionMethod Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"A compression method is a string: one of {string.Join(", ", CompressionMethods.Names)}.");
        var name = reader.GetString();
        return CompressionMethod.TryParse(name, out var method)
            ? method
            : throw new JsonException($"'{name}' is not a compression method; the methods are {string.Join(", ", CompressionMethods.Names)}.");
    }

    public override void Write(Utf8JsonWriter writer, CompressionMethod value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name);
}

/// <summary>Binds a method from configuration (<c>Rag:OpenAI:Compression:Method</c>).</summary>
internal sealed class CompressionMethodTypeConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string name ? CompressionMethod.Parse(name) : base.ConvertFrom(context, culture, value);
}

using System.Globalization;
using System.Numerics;

namespace Rag.Contracts;

/// <summary>Checks shared by the options validators: each failure names the configuration key and the value found.</summary>
public static class OptionRules
{
    /// <summary>Adds a failure when <paramref name="value"/> is outside [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <param name="failures">Where failures are collected.</param>
    /// <param name="key">The configuration key, e.g. <c>Rag:Search:HybridCandidates</c>.</param>
    /// <param name="value">The value bound.</param>
    /// <param name="min">The least allowed.</param>
    /// <param name="max">The most allowed.</param>
    public static void Range<T>(List<string> failures, string key, T value, T min, T max)
        where T : INumber<T>
    {
        ArgumentNullException.ThrowIfNull(failures);
        if (value < min || value > max)
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{key} must be between {min} and {max}; it is {value}."));
    }
}

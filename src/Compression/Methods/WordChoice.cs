namespace Rag.Compression.Methods;

/// <summary>A method's ranking of the units.</summary>
/// <param name="Priority">Per unit; higher is kept first.</param>
/// <param name="Initial">A first selection the budget then trims or fills (LongCodeZip's knapsack), or null.</param>
/// <param name="CacheHits">Segments whose scores came from the cache.</param>
/// <param name="CacheMisses">Segments scored by the model.</param>
public sealed record WordChoice(double[] Priority, bool[]? Initial = null, int CacheHits = 0, int CacheMisses = 0);

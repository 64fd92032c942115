namespace Rag.Compression.Methods;

/// <summary><c>random</c>, a baseline: drops words at random (seeded, so runs repeat).</summary>
internal sealed class RandomMethod : ICompressionMethod
{
    public MethodDescription Description { get; } = new(CompressionMethod.Random, "Baseline: drops words at random (seeded).");

    public bool IsAvailable => true;

    public Task<WordChoice> ChooseAsync(MethodInput input, CancellationToken cancellationToken)
    {
        var random = new Random(17);
        return Task.FromResult(new WordChoice([.. input.Words.Select(_ => random.NextDouble())]));
    }
}

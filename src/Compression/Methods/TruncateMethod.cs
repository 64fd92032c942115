namespace Rag.Compression.Methods;

/// <summary><c>truncate</c>, a baseline: keeps the start.</summary>
internal sealed class TruncateMethod : ICompressionMethod
{
    public MethodDescription Description { get; } = new(CompressionMethod.Truncate, "Baseline: keeps the start of the context.");

    public bool IsAvailable => true;

    public Task<WordChoice> ChooseAsync(MethodInput input, CancellationToken cancellationToken) =>
        Task.FromResult(new WordChoice([.. input.Words.Select((_, i) => -(double)i)]));
}

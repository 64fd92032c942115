namespace Rag.Compression.Methods;

/// <summary>
/// <c>longcodezip</c>: functions ranked by how much they explain the question, then perplexity blocks
/// under a knapsack (<see cref="LongCodeZip"/>). Its units are lines.
/// </summary>
internal sealed class LongCodeZipMethod(MethodServices services) : ICompressionMethod
{
    public MethodDescription Description { get; } = new(CompressionMethod.LongCodeZip, "LongCodeZip for code: functions ranked by how much they explain the question, then perplexity blocks under a knapsack.", NeedsQuestion: true, LineWords: true);

    public bool IsAvailable => services.Scorer is not null;

    public async Task<WordChoice> ChooseAsync(MethodInput input, CancellationToken cancellationToken)
    {
        var (initial, priority, _) = await LongCodeZip.SelectAsync(
            input.Texts, input.Words, input.Languages, input.Question, input.ContextBudget, services.Scorer!, services.Options, cancellationToken);
        return new WordChoice(priority, initial);
    }
}

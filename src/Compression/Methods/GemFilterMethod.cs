namespace Rag.Compression.Methods;

/// <summary><c>gemfilter</c>: the early-layer attention of the question's last token picks what to keep (<see cref="GemFilterScores"/>).</summary>
internal sealed class GemFilterMethod(MethodServices services) : ICompressionMethod
{
    public MethodDescription Description { get; } = new(CompressionMethod.GemFilter, "GemFilter: the early-layer attention of the question's last token picks what to keep.", NeedsQuestion: true);

    public bool IsAvailable => services.Probe is not null;

    public async Task<WordChoice> ChooseAsync(MethodInput input, CancellationToken cancellationToken)
    {
        var options = services.Options;
        var priority = await GemFilterScores.ScoreAsync(input.Texts, input.Words, input.Question, services.Probe!, options.GemFilterSmoothing, cancellationToken);
        return new WordChoice(options.GemFilterSentences ? GemFilterScores.BySentence(input.Texts, input.Words, priority) : priority);
    }
}

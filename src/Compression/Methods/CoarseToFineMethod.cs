using Rag.Compression.Extractive;

namespace Rag.Compression.Methods;

/// <summary>
/// <c>coarse_to_fine</c>: question-aware coarse-to-fine after LongLLMLingua — sentences ranked by the request's
/// <c>rank_method</c>, the best kept whole in order (<see cref="CoarseToFine"/>).
/// </summary>
internal sealed class CoarseToFineMethod(MethodServices services) : ICompressionMethod
{
    public MethodDescription Description { get; } = new(CompressionMethod.CoarseToFine, "Question-aware coarse-to-fine (after LongLLMLingua): sentences ranked by rank_method (hybrid, bm25, dense or longllmlingua), the best kept whole in order.", NeedsQuestion: true);

    public bool IsAvailable => true;

    public async Task<WordChoice> ChooseAsync(MethodInput input, CancellationToken cancellationToken)
    {
        var request = input.Request;
        var ranker = input.Ranker;
        var rankMethod = request.RankMethod ?? (ranker is null ? RankMethod.Bm25 : RankMethod.Hybrid);
        if (rankMethod is RankMethod.Hybrid or RankMethod.Dense && ranker is null)
            throw new CompressionRequestException("rank_method", $"'rank_method' {rankMethod.ToString().ToLowerInvariant()} needs an encoder (Rag:Models:Embedder); this service has none.");
        if (rankMethod == RankMethod.LongLlmLingua && services.Scorer is null)
            throw new CompressionRequestException("rank_method", "'rank_method' longllmlingua needs the scorer (Rag:Models:Scorer); this service has none.");
        var ranking = new CoarseRanking(rankMethod, ranker, services.Scorer, request.KeepFirstSentence, request.KeepLastSentence, services.Options.SecondHop);
        return new WordChoice(await CoarseToFine.PrioritiesAsync(input.Texts, input.Words, input.Question, ranking, request.Scope ?? "", cancellationToken));
    }
}

using System.Text.Json;
using Rag.Compression;
using Rag.Engine.Admission;

namespace Rag.Api.Apis;

/// <summary>Compression as a stand-alone service, for callers who bring their own LLM.</summary>
public static class CompressApi
{
    public static RouteGroupBuilder MapCompressApi(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        v1.MapPost("/compress", CompressAsync).WithTags("Compression").WithName("Compress")
            .WithSummary("Compress a prompt to a token budget; the instruction, question and protected spans stay intact")
            .Refuses(StatusCodes.Status413PayloadTooLarge, StatusCodes.Status429TooManyRequests)
            .RequireAdmission(_ => WorkKind.Compression);
        return v1;
    }

    public static async Task<Results<Ok<CompressionResult>, ValidationProblem, ProblemHttpResult>> CompressAsync(
        CompressRequest request, PromptCompressor compressor, IOptions<RagOptions> options, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(compressor);
        ArgumentNullException.ThrowIfNull(options);
        var errors = new Dictionary<string, string[]>();
        var context = Context(errors, request.Context);
        var limit = options.Value.Limits.MaxContextCharacters;
        if (context is not null && context.Sum(i => (long)i.Length) > limit)
            return ApiProblems.ContextTooLarge("context", limit);
        if (request.Instruction is { Length: > RequestRules.MaxTextQueryLength })
            errors["instruction"] = [$"'instruction' must be at most {RequestRules.MaxTextQueryLength} characters."];
        if (request.Question is { Length: > RequestRules.MaxTextQueryLength })
            errors["question"] = [$"'question' must be at most {RequestRules.MaxTextQueryLength} characters."];
        RequestRules.Compression(errors, "", request.Rate, request.TargetToken, request.KeepFirstSentence, request.KeepLastSentence);
        if (errors.Count > 0)
            return ApiProblems.Invalid(errors);

        try
        {
            var result = await compressor.CompressAsync(new CompressionRequest(
                context!,
                request.Instruction,
                request.Question,
                request.Rate,
                request.TargetToken,
                request.Method ?? CompressionMethod.Auto,
                request.ContentType,
                request.ProtectedSpans?.ToList(),
                RankMethod: request.RankMethod,
                Scope: http.GetCaller().CacheScope(),
                KeepFirstSentence: request.KeepFirstSentence ?? 0,
                KeepLastSentence: request.KeepLastSentence ?? 0), cancellationToken);
            http.RequestServices.GetRequiredService<Rag.Engine.Diagnostics.RagMetrics>()
                .Compressed(result.Method.Name, result.OriginTokens, result.CompressedTokens, TimeSpan.FromMilliseconds(result.ElapsedMs));
            return TypedResults.Ok(result);
        }
        catch (CompressionRequestException e)
        {
            return ApiProblems.Invalid(e.Field, e.Message);
        }
    }

    private static List<string>? Context(Dictionary<string, string[]> errors, JsonElement? context)
    {
        List<string>? items = context?.ValueKind switch
        {
            JsonValueKind.String => [context.Value.GetString()!],
            JsonValueKind.Array when context.Value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) =>
                [.. context.Value.EnumerateArray().Select(e => e.GetString()!)],
            _ => null,
        };
        if (items is null || items.Count == 0 || items.All(string.IsNullOrWhiteSpace))
        {
            errors["context"] = ["'context' is required: a non-empty string or a list of strings."];
            return null;
        }

        return items;
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rag.Compression;
using Rag.Engine.Admission;
using Rag.Engine.Models;
using Rag.Extensions.AI;

namespace Rag.Api.OpenAi;

/// <summary>
/// <c>POST /v1/chat/completions</c>, OpenAI-compatible (streaming and not): long messages are
/// compressed first (the last user message, the question, never), then the local ONNX decoder
/// answers — or, in proxy mode, the request goes to the upstream server set in
/// <c>Rag:OpenAI:UpstreamUrl</c> and its answer comes back as it is. Compression figures travel in
/// <c>x-rag-*</c> response headers. Errors are in OpenAI's shape.
/// </summary>
internal static partial class ChatCompletionsApi
{
    public const string UpstreamClient = "openai-upstream";

    public static IEndpointRouteBuilder MapChatCompletionsApi(this IEndpointRouteBuilder app)
    {
        // The same key check as every endpoint; the refusal in OpenAI's shape.
        var openAi = app.MapGroup("/v1").WithTags("OpenAI-compatible").RequireApiKey(() => OpenAiErrors.Error(StatusCodes.Status401Unauthorized, "invalid_request_error", null,
            "Incorrect or missing API key: send 'Authorization: Bearer <key>' with a key configured in Auth:ApiKeys.", "invalid_api_key"));
        openAi.MapPost("/chat/completions", HandleAsync).WithName("CreateChatCompletion")
            .WithSummary("OpenAI-compatible chat completions: compressed, then answered by the local decoder or forwarded upstream")
            .Accepts<JsonObject>("application/json")
            .Produces<OpenAiErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<OpenAiErrorResponse>(StatusCodes.Status401Unauthorized)
            .Produces<OpenAiErrorResponse>(StatusCodes.Status413PayloadTooLarge)
            .Produces<OpenAiErrorResponse>(StatusCodes.Status429TooManyRequests)
            .Produces<OpenAiErrorResponse>(StatusCodes.Status502BadGateway)
            .Produces<OpenAiErrorResponse>(StatusCodes.Status503ServiceUnavailable)
            // Answered here, a completion holds a KV cache; forwarded, only compression runs here.
            .RequireAdmission(http => string.IsNullOrWhiteSpace(http.RequestServices.GetRequiredService<IOptions<OpenAiOptions>>().Value.UpstreamUrl)
                ? WorkKind.Generation
                : WorkKind.Compression);
        openAi.MapGet("/models", ListModelsAsync).WithName("ListModels")
            .WithSummary("OpenAI-compatible model list: the local decoder, or the upstream's list in proxy mode")
            .Produces<OpenAiErrorResponse>(StatusCodes.Status401Unauthorized);
        return app;
    }

    private static async Task HandleAsync(HttpContext context, IOptions<OpenAiOptions> openAi, PromptCompressor compressor,
        IOptions<RagOptions> rag, IHttpClientFactory clients, CancellationToken cancellationToken)
    {
        var generator = context.RequestServices.GetService<ITextGenerator>(); // null: no local model
        ChatRequest request;
        try
        {
            request = ChatRequest.Parse(await ReadJsonAsync(context, cancellationToken), rag.Value.Limits.MaxOutputTokens);
        }
        catch (OpenAiRequestException e)
        {
            await OpenAiErrors.Invalid(e.Param, e.Message, e.Code).ExecuteAsync(context);
            return;
        }

        var limit = rag.Value.Limits.MaxContextCharacters;
        if (request.Messages.Sum(m => (long)(m.Text?.Length ?? 0)) > limit)
        {
            await OpenAiErrors.Error(StatusCodes.Status413PayloadTooLarge, "invalid_request_error", "messages",
                $"The messages hold more than {limit} characters of text (Rag:Limits:MaxContextCharacters).", "request_too_large").ExecuteAsync(context);
            return;
        }

        var options = openAi.Value;
        var proxy = !string.IsNullOrWhiteSpace(options.UpstreamUrl);
        if (!proxy && generator is null)
        {
            await OpenAiErrors.Error(StatusCodes.Status503ServiceUnavailable, "server_error", "model",
                "No model answers here: configure Rag:Models:Decoder:Path for the local decoder, or Rag:OpenAI:UpstreamUrl for proxy mode.", "model_not_available").ExecuteAsync(context);
            return;
        }

        var figures = await CompressAsync(request, options.Compression, compressor, context.GetCaller().CacheScope(),
            context.RequestServices.GetRequiredService<ChatCompressionMetrics>(), cancellationToken);
        if (figures is not null)
            AddFigureHeaders(context.Response, figures);

        if (proxy)
            await ForwardAsync(context, request, options, clients, cancellationToken);
        else
            await GenerateAsync(context, request, generator!, rag.Value.Generation, options.ChatFormat, cancellationToken);
    }

    private static async Task<JsonNode?> ReadJsonAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            throw new OpenAiRequestException(null, "The request body must be JSON (Content-Type: application/json).");
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            // The parser's own words (line numbers, byte positions of its internals) stay out of the answer.
            throw new OpenAiRequestException(Problems.ApiProblems.DescribeJsonError(e).Field is var field && field != "body" ? field : null,
                "The request body is not valid JSON.");
        }
    }

    private static async Task<CompressionFigures?> CompressAsync(
        ChatRequest request, OpenAiCompressionOptions options, PromptCompressor compressor, string scope, ChatCompressionMetrics metrics, CancellationToken cancellationToken)
    {
        if (!options.Enabled)
            return null;
        var compressorOptions = new ContextCompressionOptions { Rate = options.Rate, Method = options.Method, MinTokens = options.MinTokens };
        var messages = new MessageCompressor(new InProcessContextCompressor(compressor, scope), compressorOptions, metrics);
        // Messages that are not plain text (images) are left out of compression as empty texts.
        var (texts, figures) = await messages.CompressAsync([.. request.Messages.Select(m => new MessageText(m.Role, m.Text ?? ""))], cancellationToken);
        for (var i = 0; i < texts.Count; i++)
        {
            if (request.Messages[i].Text is { } original && !ReferenceEquals(texts[i], original) && texts[i] != original)
            {
                request.Messages[i] = (request.Messages[i].Role, texts[i]);
                request.SetText(i, texts[i]);
            }
        }

        return figures;
    }

    private static void AddFigureHeaders(HttpResponse response, CompressionFigures figures)
    {
        var invariant = CultureInfo.InvariantCulture;
        response.Headers["x-rag-origin-tokens"] = figures.OriginTokens.ToString(invariant);
        response.Headers["x-rag-compressed-tokens"] = figures.CompressedTokens.ToString(invariant);
        response.Headers["x-rag-compression-ratio"] = figures.Ratio.ToString(invariant);
        response.Headers["x-rag-messages-compressed"] = figures.MessagesCompressed.ToString(invariant);
        response.Headers["x-rag-cache-hits"] = figures.CacheHits.ToString(invariant);
        response.Headers["x-rag-compression-ms"] = Math.Round(figures.ElapsedMs, 1).ToString(invariant);
    }
}

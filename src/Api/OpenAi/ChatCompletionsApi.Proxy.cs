using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Rag.Engine.Models;

namespace Rag.Api.OpenAi;

/// <summary>Proxy mode: the request, compressed, goes to Rag:OpenAI:UpstreamUrl and its answer comes back as it is; the model list too.</summary>
internal static partial class ChatCompletionsApi
{
    private static async Task ListModelsAsync(HttpContext context, IOptions<OpenAiOptions> openAi, IHttpClientFactory clients, CancellationToken cancellationToken)
    {
        var generator = context.RequestServices.GetService<ITextGenerator>(); // null: no local model
        var options = openAi.Value;
        if (!string.IsNullOrWhiteSpace(options.UpstreamUrl))
        {
            using var upstream = new HttpRequestMessage(HttpMethod.Get, options.UpstreamUrl.TrimEnd('/') + "/models");
            if (!string.IsNullOrEmpty(options.UpstreamApiKey))
                upstream.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.UpstreamApiKey);
            try
            {
                using var response = await clients.CreateClient(UpstreamClient).SendAsync(upstream, cancellationToken);
                context.Response.StatusCode = (int)response.StatusCode;
                context.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/json";
                await response.Content.CopyToAsync(context.Response.Body, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                LogUpstreamFailed(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ChatCompletionsApi).FullName!), e);
                await OpenAiErrors.Error(StatusCodes.Status502BadGateway, "server_error", null, "The upstream server did not answer; the service log has the reason.", "upstream_unavailable").ExecuteAsync(context);
            }

            return;
        }

        var data = new JsonArray();
        if (generator is { } decoder)
            data.Add(new JsonObject { ["id"] = decoder.ModelId, ["object"] = "model", ["created"] = 0, ["owned_by"] = "rag" });
        await Results.Json(new JsonObject { ["object"] = "list", ["data"] = data }).ExecuteAsync(context);
    }

    private static async Task ForwardAsync(HttpContext context, ChatRequest request, OpenAiOptions options, IHttpClientFactory clients, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(options.UpstreamModel))
            request.Json["model"] = options.UpstreamModel;
        var client = clients.CreateClient(UpstreamClient);
        using var upstream = new HttpRequestMessage(HttpMethod.Post, options.UpstreamUrl!.TrimEnd('/') + "/chat/completions")
        {
            Content = new StringContent(request.Json.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (!string.IsNullOrEmpty(options.UpstreamApiKey))
            upstream.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.UpstreamApiKey);

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(upstream, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogUpstreamFailed(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ChatCompletionsApi).FullName!), e);
            await OpenAiErrors.Error(StatusCodes.Status502BadGateway, "server_error", null, "The upstream server did not answer; the service log has the reason.", "upstream_unavailable").ExecuteAsync(context);
            return;
        }

        using (response)
        {
            // The upstream's answer, status and body as they are (streamed through for SSE).
            context.Response.StatusCode = (int)response.StatusCode;
            context.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/json";
            context.Response.Headers["x-rag-upstream"] = "true";
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            await body.CopyToAsync(context.Response.Body, cancellationToken);
        }
    }

    [LoggerMessage(EventId = ApiLogEvents.UpstreamFailed, Level = LogLevel.Warning, Message = "The OpenAI upstream did not answer")]
    private static partial void LogUpstreamFailed(ILogger logger, Exception exception);
}

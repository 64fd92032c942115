using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Rag.Engine.Models;

namespace Rag.Api.Health;

/// <summary>
/// The <c>/healthz</c> body: the overall status, each check's status, and which model plays which
/// role (encoder, scorer, generator) — what an operator asks first when answers look wrong.
/// No exception text: a failing check says only its own description.
/// </summary>
internal static class HealthResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var models = context.RequestServices.GetRequiredService<ModelHost>();
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
            models = models.Roles,
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}

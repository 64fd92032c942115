using System.Text.Json.Serialization;
using Rag.Retrieval.Stores;

namespace Rag.Api.Payloads;

/// <summary>
/// What a batch upload did: counts, and one entry per document in the order sent. <c>batch_id</c> and <c>status_url</c>
/// (when the upload created documents): where the batch's progress is read and from where it is cancelled.
/// </summary>
public sealed record BatchUploadResponse(
    int Accepted,
    int Duplicates,
    int Rejected,
    IReadOnlyList<BatchUploadItem> Documents,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? BatchId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? StatusUrl = null);

/// <summary>
/// One document of a batch: its position (<c>item</c>: the line number of JSON lines, or the file's position in the
/// form) and either the stored document (id, status URL, state, whether the same bytes were already there) or why
/// it was refused.
/// </summary>
public sealed record BatchUploadItem(
    int Item,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FileName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? StatusUrl = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DocumentState? State = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Duplicate = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BatchUploadError? Error = null);

/// <summary>Why an item was refused: the status a single upload would have had, and the problem's words (per field).</summary>
public sealed record BatchUploadError(
    int Status,
    string? Title,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IDictionary<string, string[]>? Errors)
{
    public static BatchUploadError From(IResult problem) => problem switch
    {
        ValidationProblem invalid => new(StatusCodes.Status400BadRequest, invalid.ProblemDetails.Title, invalid.ProblemDetails.Detail, invalid.ProblemDetails.Errors),
        ProblemHttpResult other => new(other.StatusCode, other.ProblemDetails.Title, other.ProblemDetails.Detail, null),
        _ => throw new InvalidOperationException("Unexpected problem type."),
    };
}

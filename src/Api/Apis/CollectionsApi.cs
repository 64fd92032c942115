using Rag.Engine.Documents;

namespace Rag.Api.Apis;

/// <summary>The collections the caller may see.</summary>
public static class CollectionsApi
{
    public static RouteGroupBuilder MapCollectionsApi(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        v1.MapGet("/collections", ListAsync).WithTags("Collections").WithName("ListCollections")
            .WithSummary("Collections that hold documents and that the API key may use");
        return v1;
    }

    public static async Task<Ok<CollectionListResponse>> ListAsync(HttpContext context, DocumentService documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(documents);
        var caller = context.GetCaller();
        var all = await documents.ListCollectionsAsync(cancellationToken);
        return TypedResults.Ok(new CollectionListResponse(all.Where(caller.MayUse).ToList()));
    }
}

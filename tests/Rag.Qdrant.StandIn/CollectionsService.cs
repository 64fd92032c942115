using Grpc.Core;
using Qdrant.Client.Grpc;

namespace Rag.Qdrant.StandIn;

/// <summary>Qdrant's <c>Collections</c> service: list, exists, create (dense and multivector spaces), delete.</summary>
internal sealed class CollectionsService(StandInState state) : Collections.CollectionsBase
{
    public override Task<ListCollectionsResponse> List(ListCollectionsRequest request, ServerCallContext context)
    {
        var response = new ListCollectionsResponse();
        response.Collections.AddRange(state.Collections.Keys.Order(StringComparer.Ordinal).Select(n => new CollectionDescription { Name = n }));
        return Task.FromResult(response);
    }

    public override Task<CollectionExistsResponse> CollectionExists(CollectionExistsRequest request, ServerCallContext context) =>
        Task.FromResult(new CollectionExistsResponse { Result = new global::Qdrant.Client.Grpc.CollectionExists { Exists = state.Collections.ContainsKey(request.CollectionName) } });

    public override Task<CollectionOperationResponse> Create(CreateCollection request, ServerCallContext context)
    {
        var name = request.CollectionName;
        if (string.IsNullOrEmpty(name) || name.Length > 255 || name.IndexOfAny(['/', '\\', '\0']) >= 0)
            throw Qdrant.WrongInput($"Validation error in body: [collection_name: collection name `{name}` must be 1 to 255 characters without / \\ or NUL]");
        var spaces = new Dictionary<string, VectorSpace>(StringComparer.Ordinal);
        switch (request.VectorsConfig?.ConfigCase)
        {
            case VectorsConfig.ConfigOneofCase.Params:
                spaces[""] = Space("", request.VectorsConfig.Params);
                break;
            case VectorsConfig.ConfigOneofCase.ParamsMap:
                foreach (var (vectorName, parameters) in request.VectorsConfig.ParamsMap.Map)
                    spaces[vectorName] = Space(vectorName, parameters);
                break;
        }

        if (request.SparseVectorsConfig is { Map.Count: > 0 })
            throw Qdrant.Unsupported("sparse vectors");
        if (!state.Collections.TryAdd(name, new StandInCollection(spaces)))
            throw Qdrant.WrongInput($"Collection `{name}` already exists!");
        return Task.FromResult(new CollectionOperationResponse { Result = true });
    }

    public override Task<CollectionOperationResponse> Delete(DeleteCollection request, ServerCallContext context) =>
        Task.FromResult(new CollectionOperationResponse { Result = state.Collections.TryRemove(request.CollectionName, out _) });

    private static VectorSpace Space(string name, VectorParams parameters)
    {
        if (parameters.Size is 0 or > 65536)
            throw Qdrant.WrongInput($"Validation error in body: [vectors_config.{name}.size: value {parameters.Size} invalid, must be from 1 to 65536]");
        if (parameters.Distance is not (Distance.Cosine or Distance.Dot or Distance.Euclid or Distance.Manhattan))
            throw Qdrant.WrongInput($"Validation error in body: [vectors_config.{name}.distance: unknown distance {parameters.Distance}]");
        return new VectorSpace((int)parameters.Size, parameters.Distance, parameters.MultivectorConfig is not null);
    }
}

/// <summary>Qdrant's <c>Qdrant</c> service: the health check.</summary>
internal sealed class HealthService : global::Qdrant.Client.Grpc.Qdrant.QdrantBase
{
    public override Task<HealthCheckReply> HealthCheck(HealthCheckRequest request, ServerCallContext context) =>
        Task.FromResult(new HealthCheckReply { Title = "qdrant - vector search engine (Rag's test stand-in)", Version = "1.19.0" });
}

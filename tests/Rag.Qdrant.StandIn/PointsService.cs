using Google.Protobuf.Collections;
using Grpc.Core;
using Qdrant.Client.Grpc;

namespace Rag.Qdrant.StandIn;

/// <summary>
/// Qdrant's <c>Points</c> service: upsert, delete (ids or filter), get, count, query (nearest by a
/// dense vector, a multivector or a point id), payload indexes. Every request is checked against
/// the collection's configuration before anything is applied.
/// </summary>
internal sealed class PointsService(StandInState state) : Points.PointsBase
{
    public override async Task<PointsOperationResponse> Upsert(UpsertPoints request, ServerCallContext context)
    {
        var collection = state.Collection(request.CollectionName);
        if (request.UpdateFilter is not null)
            throw Qdrant.Unsupported("conditional upsert (update_filter)");
        var points = request.Points.Select(p => Stored(collection, p)).ToList();
        var result = await collection.WriteAsync(request.Wait, () =>
        {
            foreach (var point in points)
                collection.Points[Key(point.Id)] = point;
        }, state);
        return new PointsOperationResponse { Result = result };
    }

    public override async Task<PointsOperationResponse> Delete(DeletePoints request, ServerCallContext context)
    {
        var collection = state.Collection(request.CollectionName);
        Func<StoredPoint, bool> selected = request.Points?.PointsSelectorOneOfCase switch
        {
            PointsSelector.PointsSelectorOneOfOneofCase.Points => Ids(request.Points.Points.Ids),
            PointsSelector.PointsSelectorOneOfOneofCase.Filter => Filters.Compile(request.Points.Filter),
            _ => throw Qdrant.WrongInput("Validation error in body: [points: a points selector (ids or filter) is required]"),
        };
        var result = await collection.WriteAsync(request.Wait, () =>
        {
            foreach (var point in collection.Points.Values.Where(selected).ToList())
                collection.Points.TryRemove(Key(point.Id), out _);
        }, state);
        return new PointsOperationResponse { Result = result };
    }

    public override Task<GetResponse> Get(GetPoints request, ServerCallContext context)
    {
        var collection = state.Collection(request.CollectionName);
        var response = new GetResponse();
        foreach (var id in request.Ids.Select(Validated).ToList())
        {
            if (!collection.Points.TryGetValue(Key(id), out var point))
                continue;
            var retrieved = new RetrievedPoint { Id = point.Id, Vectors = VectorsOf(collection, point, request.WithVectors) };
            retrieved.Payload.Add(Payload(point, request.WithPayload));
            response.Result.Add(retrieved);
        }

        return Task.FromResult(response);
    }

    public override Task<CountResponse> Count(CountPoints request, ServerCallContext context)
    {
        var collection = state.Collection(request.CollectionName);
        var matches = Filters.Compile(request.Filter);
        return Task.FromResult(new CountResponse { Result = new CountResult { Count = (ulong)collection.Points.Values.Count(matches) } });
    }

    public override async Task<PointsOperationResponse> CreateFieldIndex(CreateFieldIndexCollection request, ServerCallContext context)
    {
        var collection = state.Collection(request.CollectionName);
        if (string.IsNullOrEmpty(request.FieldName))
            throw Qdrant.WrongInput("Validation error in body: [field_name: must not be empty]");
        if (!request.HasFieldType)
            throw Qdrant.WrongInput("Can't auto-detect field type, please specify `field_schema` in the request");
        var type = request.FieldType switch
        {
            FieldType.Keyword => PayloadSchemaType.Keyword,
            FieldType.Integer => PayloadSchemaType.Integer,
            FieldType.Float => PayloadSchemaType.Float,
            FieldType.Bool => PayloadSchemaType.Bool,
            _ => throw Qdrant.Unsupported($"payload index type {request.FieldType}"),
        };
        var result = await collection.WriteAsync(request.Wait, () => collection.Indexes[request.FieldName] = type, state);
        return new PointsOperationResponse { Result = result };
    }

    public override Task<QueryResponse> Query(QueryPoints request, ServerCallContext context)
    {
        var collection = state.Collection(request.CollectionName);
        if (request.Prefetch.Count > 0)
            throw Qdrant.Unsupported("prefetch");
        var matches = Filters.Compile(request.Filter);
        var limit = request.HasLimit ? (int)request.Limit : 10;
        var offset = request.HasOffset ? (int)request.Offset : 0;
        IEnumerable<(StoredPoint Point, float Score)> scored;
        if (request.Query is null)
        {
            // No query: points in id order, unscored (Qdrant's scroll through /query).
            scored = collection.Points.Values.Where(matches).OrderBy(p => Key(p.Id), StringComparer.Ordinal).Select(p => (p, 0f));
        }
        else
        {
            if (request.Query.VariantCase != global::Qdrant.Client.Grpc.Query.VariantOneofCase.Nearest)
                throw Qdrant.Unsupported($"query {request.Query.VariantCase}");
            var vectorName = request.HasUsing ? request.Using : "";
            var space = collection.Space(vectorName);
            var query = QueryRows(collection, request.Query.Nearest, vectorName, space);
            var points = collection.Points.Values.Where(p => p.Vectors.ContainsKey(vectorName) && matches(p))
                .Select(p => (Point: p, Score: Scoring.Score(space, query, p.Vectors[vectorName])));
            scored = Scoring.HigherIsBetter(space.Distance) ? points.OrderByDescending(p => p.Score) : points.OrderBy(p => p.Score);
            if (request.HasScoreThreshold)
                scored = scored.Where(p => Scoring.HigherIsBetter(space.Distance) ? p.Score >= request.ScoreThreshold : p.Score <= request.ScoreThreshold);
        }

        var response = new QueryResponse();
        foreach (var (point, score) in scored.Skip(offset).Take(limit))
        {
            var hit = new ScoredPoint { Id = point.Id, Score = score, Version = 0, Vectors = VectorsOf(collection, point, request.WithVectors) };
            hit.Payload.Add(Payload(point, request.WithPayload));
            response.Result.Add(hit);
        }

        return Task.FromResult(response);
    }

    /// <summary>A point to store, checked against the collection: ids, vector names, multi or not, sizes.</summary>
    private static StoredPoint Stored(StandInCollection collection, PointStruct point)
    {
        var id = Validated(point.Id);
        var vectors = new Dictionary<string, float[][]>(StringComparer.Ordinal);
        switch (point.Vectors?.VectorsOptionsCase)
        {
            case Vectors.VectorsOptionsOneofCase.Vector:
                vectors[""] = Rows(point.Vectors.Vector);
                break;
            case Vectors.VectorsOptionsOneofCase.Vectors_:
                foreach (var (name, vector) in point.Vectors.Vectors_.Vectors)
                    vectors[name] = Rows(vector);
                break;
        }

        foreach (var (name, rows) in vectors)
        {
            var space = collection.Space(name);
            if (space.Multi != IsMulti(point.Vectors!, name))
                throw Qdrant.WrongInput($"Conversion between multi and regular vectors failed (vector `{name}` is {(space.Multi ? "a multivector" : "a single vector")} in this collection)");
            if (rows.Length == 0)
                throw Qdrant.WrongInput($"Validation error in body: [vector `{name}`: a multivector must have at least one vector]");
            foreach (var row in rows)
            {
                if (row.Length != space.Size)
                    throw Qdrant.WrongInput($"Vector dimension error: expected dim: {space.Size}, got {row.Length}");
            }

            vectors[name] = space.Distance == Distance.Cosine ? [.. rows.Select(Scoring.Normalized)] : rows;
        }

        return new StoredPoint(id, vectors, point.Payload.Clone());
    }

    private static bool IsMulti(Vectors vectors, string name)
    {
        var vector = vectors.VectorsOptionsCase == Vectors.VectorsOptionsOneofCase.Vector ? vectors.Vector : vectors.Vectors_.Vectors[name];
        return vector.VectorCase == Vector.VectorOneofCase.MultiDense || (vector.VectorCase == Vector.VectorOneofCase.None && vector.HasVectorsCount);
    }

    /// <summary>A vector's rows: the current oneof, or the deprecated flat <c>data</c> split by <c>vectors_count</c>.</summary>
    private static float[][] Rows(Vector vector) => vector.VectorCase switch
    {
        Vector.VectorOneofCase.Dense => [[.. vector.Dense.Data]],
        Vector.VectorOneofCase.MultiDense => [.. vector.MultiDense.Vectors.Select(v => v.Data.ToArray())],
        Vector.VectorOneofCase.None when vector.HasVectorsCount && vector.VectorsCount > 0 && vector.Data.Count % vector.VectorsCount == 0 =>
            [.. vector.Data.Chunk(vector.Data.Count / (int)vector.VectorsCount)],
        Vector.VectorOneofCase.None when vector.HasVectorsCount => throw Qdrant.WrongInput("Validation error in body: [vector.data: length is not a multiple of vectors_count]"),
        Vector.VectorOneofCase.None => [[.. vector.Data]],
        _ => throw Qdrant.Unsupported($"{vector.VectorCase} vectors"),
    };

    private static float[][] QueryRows(StandInCollection collection, VectorInput input, string vectorName, VectorSpace space)
    {
        float[][] rows = input.VariantCase switch
        {
            VectorInput.VariantOneofCase.Dense => [[.. input.Dense.Data]],
            VectorInput.VariantOneofCase.MultiDense => [.. input.MultiDense.Vectors.Select(v => v.Data.ToArray())],
            VectorInput.VariantOneofCase.Id => collection.Points.TryGetValue(Key(Validated(input.Id)), out var point) && point.Vectors.TryGetValue(vectorName, out var stored)
                ? stored
                : throw Qdrant.NotFound($"No point with id {Key(input.Id)} found"),
            _ => throw Qdrant.Unsupported($"query input {input.VariantCase}"),
        };
        if (rows.Length == 0)
            throw Qdrant.WrongInput("Validation error in body: [query: the query vector is empty]");
        if (rows.Length > 1 && !space.Multi)
            throw Qdrant.WrongInput($"Conversion between multi and regular vectors failed (vector `{vectorName}` is not a multivector)");
        foreach (var row in rows)
        {
            if (row.Length != space.Size)
                throw Qdrant.WrongInput($"Vector dimension error: expected dim: {space.Size}, got {row.Length}");
        }

        return space.Distance == Distance.Cosine ? [.. rows.Select(Scoring.Normalized)] : rows;
    }

    private static MapField<string, Value> Payload(StoredPoint point, WithPayloadSelector? selector)
    {
        var payload = new MapField<string, Value>();
        switch (selector?.SelectorOptionsCase)
        {
            case WithPayloadSelector.SelectorOptionsOneofCase.Enable when selector.Enable:
                payload.Add(point.Payload.Clone());
                break;
            case WithPayloadSelector.SelectorOptionsOneofCase.Include:
                foreach (var field in selector.Include.Fields.Where(point.Payload.ContainsKey))
                    payload[field] = point.Payload[field].Clone();
                break;
            case WithPayloadSelector.SelectorOptionsOneofCase.Exclude:
                foreach (var (field, value) in point.Payload.Where(f => !selector.Exclude.Fields.Contains(f.Key)))
                    payload[field] = value.Clone();
                break;
        }

        return payload;
    }

    private static VectorsOutput? VectorsOf(StandInCollection collection, StoredPoint point, WithVectorsSelector? selector)
    {
        IEnumerable<string> names = selector?.SelectorOptionsCase switch
        {
            WithVectorsSelector.SelectorOptionsOneofCase.Enable when selector.Enable => point.Vectors.Keys,
            WithVectorsSelector.SelectorOptionsOneofCase.Include => selector.Include.Names.Where(point.Vectors.ContainsKey),
            _ => [],
        };
        var named = new NamedVectorsOutput();
        foreach (var name in names)
        {
            var rows = point.Vectors[name];
            var output = new VectorOutput();
            if (collection.Spaces[name].Multi)
            {
                output.MultiDense = new MultiDenseVector();
                output.MultiDense.Vectors.AddRange(rows.Select(r => new DenseVector { Data = { r } }));
            }
            else
            {
                output.Dense = new DenseVector { Data = { rows[0] } };
            }

            named.Vectors[name] = output;
        }

        if (named.Vectors.Count == 0)
            return null;
        return named.Vectors.Count == 1 && named.Vectors.ContainsKey("") ? new VectorsOutput { Vector = named.Vectors[""] } : new VectorsOutput { Vectors = named };
    }

    private static Func<StoredPoint, bool> Ids(RepeatedField<PointId> ids)
    {
        var keys = ids.Select(id => Key(Validated(id))).ToHashSet(StringComparer.Ordinal);
        return p => keys.Contains(Key(p.Id));
    }

    /// <summary>A point id Qdrant accepts: an unsigned integer or a UUID (stored in its canonical form).</summary>
    internal static PointId Validated(PointId? id) => id?.PointIdOptionsCase switch
    {
        PointId.PointIdOptionsOneofCase.Num => id,
        PointId.PointIdOptionsOneofCase.Uuid when Guid.TryParse(id.Uuid, out var uuid) => new PointId { Uuid = uuid.ToString("D") },
        PointId.PointIdOptionsOneofCase.Uuid => throw Qdrant.WrongInput($"Unable to parse UUID: {id.Uuid}"),
        _ => throw Qdrant.WrongInput("Validation error in body: [id: a point id (num or uuid) is required]"),
    };

    internal static string Key(PointId id) => id.PointIdOptionsCase == PointId.PointIdOptionsOneofCase.Num
        ? "n:" + id.Num
        : Guid.TryParse(id.Uuid, out var uuid) ? uuid.ToString("D") : id.Uuid;
}

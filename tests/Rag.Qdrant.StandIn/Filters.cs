using Qdrant.Client.Grpc;

namespace Rag.Qdrant.StandIn;

/// <summary>
/// Qdrant's filters over payloads: must / should / must_not / min_should; field conditions (match
/// keyword, integer, bool, any-of and except lists; range; is_empty; is_null), is_empty, is_null,
/// has_id, has_vector and nested filters. A payload array matches when any element does. A
/// condition with nothing in it is refused, as Qdrant refuses it; the rest (geo, text, datetime,
/// values_count, nested objects) answers Unimplemented rather than a wrong result.
/// </summary>
internal static class Filters
{
    public static Func<StoredPoint, bool> Compile(Filter? filter)
    {
        if (filter is null)
            return _ => true;
        var must = filter.Must.Select(Compile).ToList();
        var should = filter.Should.Select(Compile).ToList();
        var mustNot = filter.MustNot.Select(Compile).ToList();
        var minShould = filter.MinShould is { } min ? (Conditions: min.Conditions.Select(Compile).ToList(), Count: (int)min.MinCount) : default;
        return p => must.All(c => c(p))
            && (should.Count == 0 || should.Any(c => c(p)))
            && !mustNot.Any(c => c(p))
            && (minShould.Conditions is null || minShould.Conditions.Count(c => c(p)) >= minShould.Count);
    }

    private static Func<StoredPoint, bool> Compile(Condition condition) => condition.ConditionOneOfCase switch
    {
        Condition.ConditionOneOfOneofCase.Field => Compile(condition.Field),
        Condition.ConditionOneOfOneofCase.Filter => Compile(condition.Filter),
        Condition.ConditionOneOfOneofCase.IsEmpty => p => IsEmpty(Values(p, Key(condition.IsEmpty.Key))),
        Condition.ConditionOneOfOneofCase.IsNull => p => IsNull(p, Key(condition.IsNull.Key)),
        Condition.ConditionOneOfOneofCase.HasId => HasId(condition.HasId),
        Condition.ConditionOneOfOneofCase.HasVector => p => p.Vectors.ContainsKey(condition.HasVector.HasVector),
        Condition.ConditionOneOfOneofCase.None => throw Qdrant.WrongInput("Validation error in body: [filter: a condition must have one of field, is_empty, has_id, filter, is_null, nested, has_vector]"),
        _ => throw Qdrant.Unsupported($"{condition.ConditionOneOfCase} conditions"),
    };

    private static Func<StoredPoint, bool> HasId(HasIdCondition condition)
    {
        var keys = condition.HasId.Select(id => PointsService.Key(PointsService.Validated(id))).ToHashSet(StringComparer.Ordinal);
        return p => keys.Contains(PointsService.Key(p.Id));
    }

    private static Func<StoredPoint, bool> Compile(FieldCondition field)
    {
        var key = Key(field.Key);
        if (field.GeoBoundingBox is not null || field.GeoRadius is not null || field.GeoPolygon is not null || field.ValuesCount is not null || field.DatetimeRange is not null)
            throw Qdrant.Unsupported("geo, values_count and datetime conditions");
        var tests = new List<Func<StoredPoint, bool>>();
        if (field.Match is { } match)
            tests.Add(Match(key, match));
        if (field.Range is { } range)
            tests.Add(p => Values(p, key).Any(v => Number(v) is { } x && InRange(x, range)));
        if (field.HasIsEmpty)
            tests.Add(p => IsEmpty(Values(p, key)) == field.IsEmpty);
        if (field.HasIsNull)
            tests.Add(p => IsNull(p, key) == field.IsNull);
        if (tests.Count == 0)
            throw Qdrant.WrongInput($"Validation error in body: [filter: field condition on `{key}` must specify at least one of match, range, geo_*, values_count, is_empty, is_null]");
        return p => tests.All(t => t(p));
    }

    private static Func<StoredPoint, bool> Match(string key, Match match) => match.MatchValueCase switch
    {
        global::Qdrant.Client.Grpc.Match.MatchValueOneofCase.Keyword => p => Values(p, key).Any(v => v.KindCase == Value.KindOneofCase.StringValue && v.StringValue == match.Keyword),
        global::Qdrant.Client.Grpc.Match.MatchValueOneofCase.Integer => p => Values(p, key).Any(v => v.KindCase == Value.KindOneofCase.IntegerValue && v.IntegerValue == match.Integer),
        global::Qdrant.Client.Grpc.Match.MatchValueOneofCase.Boolean => p => Values(p, key).Any(v => v.KindCase == Value.KindOneofCase.BoolValue && v.BoolValue == match.Boolean),
        global::Qdrant.Client.Grpc.Match.MatchValueOneofCase.Keywords => p => Values(p, key).Any(v => v.KindCase == Value.KindOneofCase.StringValue && match.Keywords.Strings.Contains(v.StringValue)),
        global::Qdrant.Client.Grpc.Match.MatchValueOneofCase.Integers => p => Values(p, key).Any(v => v.KindCase == Value.KindOneofCase.IntegerValue && match.Integers.Integers.Contains(v.IntegerValue)),
        global::Qdrant.Client.Grpc.Match.MatchValueOneofCase.ExceptKeywords => p => !Values(p, key).Any(v => v.KindCase == Value.KindOneofCase.StringValue && match.ExceptKeywords.Strings.Contains(v.StringValue)),
        global::Qdrant.Client.Grpc.Match.MatchValueOneofCase.ExceptIntegers => p => !Values(p, key).Any(v => v.KindCase == Value.KindOneofCase.IntegerValue && match.ExceptIntegers.Integers.Contains(v.IntegerValue)),
        global::Qdrant.Client.Grpc.Match.MatchValueOneofCase.None => throw Qdrant.WrongInput($"Validation error in body: [filter: match on `{key}` has no value]"),
        _ => throw Qdrant.Unsupported($"full-text match ({match.MatchValueCase})"),
    };

    private static string Key(string key) => string.IsNullOrEmpty(key)
        ? throw Qdrant.WrongInput("Validation error in body: [filter: key must not be empty]")
        : key;

    /// <summary>The payload values at a (dotted) key: an array's elements, one value, or none.</summary>
    private static List<Value> Values(StoredPoint point, string key)
    {
        IEnumerable<Value> current = [];
        var parts = key.Split('.');
        if (point.Payload.TryGetValue(parts[0], out var root))
            current = [root];
        foreach (var part in parts.Skip(1))
            current = current.SelectMany(Flatten).Where(v => v.KindCase == Value.KindOneofCase.StructValue && v.StructValue.Fields.ContainsKey(part)).Select(v => v.StructValue.Fields[part]);
        return [.. current.SelectMany(Flatten)];
    }

    private static IEnumerable<Value> Flatten(Value value) => value.KindCase == Value.KindOneofCase.ListValue ? value.ListValue.Values : [value];

    private static bool IsEmpty(List<Value> values) => values.All(v => v.KindCase == Value.KindOneofCase.NullValue);

    private static bool IsNull(StoredPoint point, string key) =>
        point.Payload.TryGetValue(key, out var value) && value.KindCase == Value.KindOneofCase.NullValue;

    private static double? Number(Value value) => value.KindCase switch
    {
        Value.KindOneofCase.IntegerValue => value.IntegerValue,
        Value.KindOneofCase.DoubleValue => value.DoubleValue,
        _ => null,
    };

    private static bool InRange(double x, global::Qdrant.Client.Grpc.Range range) =>
        (!range.HasLt || x < range.Lt) && (!range.HasGt || x > range.Gt) && (!range.HasLte || x <= range.Lte) && (!range.HasGte || x >= range.Gte);
}

/// <summary>Qdrant's scores: cosine (vectors normalized on the way in, then dot), dot, euclid, manhattan; max-sim for multivectors.</summary>
internal static class Scoring
{
    public static bool HigherIsBetter(Distance distance) => distance is Distance.Cosine or Distance.Dot;

    /// <summary>For each query row its best match among the point's rows, summed (one row each: the plain score).</summary>
    public static float Score(VectorSpace space, float[][] query, float[][] point) =>
        query.Sum(q => HigherIsBetter(space.Distance) ? point.Max(v => Similarity(space.Distance, q, v)) : point.Min(v => Similarity(space.Distance, q, v)));

    public static float[] Normalized(float[] vector)
    {
        var norm = Math.Sqrt(vector.Sum(x => (double)x * x));
        return norm == 0 ? vector : [.. vector.Select(x => (float)(x / norm))];
    }

    private static float Similarity(Distance distance, float[] a, float[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += distance switch
            {
                Distance.Euclid => (a[i] - b[i]) * (double)(a[i] - b[i]),
                Distance.Manhattan => Math.Abs(a[i] - b[i]),
                _ => a[i] * (double)b[i],
            };
        }

        return (float)(distance == Distance.Euclid ? Math.Sqrt(sum) : sum);
    }
}

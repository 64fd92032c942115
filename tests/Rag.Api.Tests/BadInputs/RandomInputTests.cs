using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace Rag.Api.Tests.BadInputs;

/// <summary>
/// Random values (FsCheck) in every field of the JSON endpoints — any JSON shape, any UTF-16 text
/// (lone surrogates and control characters included), extreme numbers — and random extra fields:
/// whatever comes in, the answer is never a 5xx and never shows anything internal. Failures print the body.
/// </summary>
[Trait("Tier", "Process")]
public sealed class RandomInputTests(HostileFixture service) : IClassFixture<HostileFixture>
{
    private static readonly (string Path, string Body)[] Endpoints =
    [
        ("/v1/compress", """{"context":"The storm came at dawn. The keeper slept.","question":"When?","rate":0.5,"method":"coarse_to_fine","target_token":10,"keep_first_sentence":1,"protected_spans":["dawn"],"rank_method":"encoder"}"""),
        ("/v1/collections/hostile/ask", """{"question":"What does the keeper log?","top_k":3,"budget_tokens":64,"max_tokens":8,"temperature":0.5,"top_p":0.9,"seed":1,"stop":["x"],"tags":["a"],"mode":"hybrid","stream":false,"compression":{"rate":0.5,"method":"coarse_to_fine"}}"""),
        ("/v1/collections/hostile/search", """{"query":"keeper","top_k":3,"tags":["a"],"mode":"lexical"}"""),
        ("/v1/chat/completions", """{"model":"m","max_tokens":4,"temperature":0.5,"top_p":0.9,"seed":1,"stop":["x"],"stream":false,"stream_options":{"include_usage":true},"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"hi"}]}]}"""),
        ("/v1/collections/hostile/documents", """{"text":"A note about the beacon.","title":"t","file_name":"n.md","tags":["a"],"content_type":"text/markdown"}"""),
    ];

    [Fact]
    public async Task Random_values_in_every_field_never_get_a_5xx()
    {
        using var client = service.Server.Client(HostileFixture.KeyA);
        var failures = new List<string>();
        foreach (var (path, body) in Endpoints)
        {
            var template = JsonNode.Parse(body)!.AsObject();
            var fields = Paths(template).ToList();
            var mutations = Gen.Sample(Mutation(fields), 10, 12);
            foreach (var mutate in mutations)
            {
                var request = mutate(template.DeepClone().AsObject());
                using var response = await client.PostAsync(path, new StringContent(request, Encoding.UTF8, "application/json"));
                var answer = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode >= 500)
                    failures.Add($"{(int)response.StatusCode} {path} {request} → {answer}");
                try
                {
                    BadInputCorpusTests.AssertNothingInternal(answer);
                }
                catch (Xunit.Sdk.XunitException)
                {
                    failures.Add($"leak {path} {request} → {answer}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Replace one field (by path) with a random value, and sometimes add a random field.</summary>
    private static Gen<Func<JsonObject, string>> Mutation(List<string[]> fields) =>
        from field in Gen.Elements(fields.ToArray())
        from value in Value(3)
        from extra in Gen.Elements(false, false, true)
        from name in Text()
        from extraValue in Value(1)
        select (Func<JsonObject, string>)(json =>
        {
            var text = Write(json, field, value);
            return extra ? text.TrimEnd('}') + "," + Quote(name) + ":" + extraValue + "}" : text;
        });

    /// <summary>The JSON text of <paramref name="json"/> with the value at <paramref name="path"/> replaced by raw JSON.</summary>
    private static string Write(JsonObject json, string[] path, string raw)
    {
        const string Marker = "\"@@replace@@\"";
        JsonNode parent = json;
        foreach (var step in path[..^1])
            parent = parent is JsonArray array ? array[int.Parse(step, CultureInfo.InvariantCulture)]! : parent[step]!;
        if (parent is JsonArray list)
            list[int.Parse(path[^1], CultureInfo.InvariantCulture)] = "@@replace@@";
        else
            parent[path[^1]] = "@@replace@@";
        return json.ToJsonString().Replace(Marker, raw, StringComparison.Ordinal);
    }

    private static IEnumerable<string[]> Paths(JsonNode node, string[]? prefix = null)
    {
        prefix ??= [];
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    string[] path = [.. prefix, name];
                    yield return path;
                    foreach (var inner in Paths(child!, path))
                        yield return inner;
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    string[] path = [.. prefix, i.ToString(CultureInfo.InvariantCulture)];
                    yield return path;
                    foreach (var inner in Paths(array[i]!, path))
                        yield return inner;
                }

                break;
        }
    }

    /// <summary>Any JSON value as text, nested up to <paramref name="depth"/>.</summary>
    private static Gen<string> Value(int depth)
    {
        var leaf = Gen.OneOf(
            Gen.Elements("null", "true", "false", "0", "-0", "1", "-1", "0.5", "1e308", "-1e308", "5e-324", "2147483648", "-2147483649", "99999999999999999999", "1.5e3"),
            Gen.Choose(-100000, 100000).Select(i => i.ToString(CultureInfo.InvariantCulture)),
            Text().Select(Quote));
        if (depth == 0)
            return leaf;
        return Gen.Frequency(
            (6, leaf),
            (1, Gen.ListOf(Value(depth - 1), 4).Select(items => "[" + string.Join(",", items) + "]")),
            (1, Gen.ListOf(Gen.Zip(Text(), Value(depth - 1)), 3).Select(pairs => "{" + string.Join(",", pairs.Select(p => Quote(p.Item1) + ":" + p.Item2)) + "}")));
    }

    /// <summary>Any UTF-16 text: letters, markup, controls, lone surrogates, characters outside the BMP.</summary>
    private static Gen<string> Text() =>
        Gen.ListOf(Gen.Frequency(
            (6, Gen.Choose(0x20, 0x7E).Select(c => ((char)c).ToString())),
            (2, Gen.Elements("<keep>", "</keep>", "\u0000", "\t", "\n", "é", "🦀", "\u202E", "{sources}", "{question}", "\\", "\"")),
            (1, Gen.Choose(0, 0xFFFF).Select(c => ((char)c).ToString()))), 12)
        .Select(parts => string.Concat(parts));

    /// <summary>A JSON string literal that carries every UTF-16 code unit as written, lone surrogates as \u escapes.</summary>
    private static string Quote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in text)
        {
            if (c is '"' or '\\')
                quoted.Append('\\').Append(c);
            else if (c is >= ' ' and <= '~')
                quoted.Append(c);
            else
                quoted.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
        }

        return quoted.Append('"').ToString();
    }
}

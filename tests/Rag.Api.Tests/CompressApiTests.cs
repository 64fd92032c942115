using System.Net;
using System.Text;
using Rag.Text;

namespace Rag.Api.Tests;

[Collection(ServiceCollection.Name)]
public sealed class CompressApiTests(ServiceFixture service)
{
    public static TheoryData<string, string> BadRequests() => new()
    {
        { """{"rate": 0.5}""", "context" },
        { """{"context": ""}""", "context" },
        { """{"context": [1, 2]}""", "context" },
        { """{"context": "text", "rate": 0}""", "rate" },
        { """{"context": "text", "rate": 1.5}""", "rate" },
        { """{"context": "text", "target_token": 0}""", "target_token" },
        { """{"context": "text", "method": "zip"}""", "method" },
        { """{"context": "text", "content_type": "cobol"}""", "content_type" },
        { """{"context": "a <keep>b", "rate": 0.5}""", "context" },
        { """{"context": "text", "protected_spans": [{"context": 3, "start": 0, "end": 1}]}""", "protected_spans" },
        { """{"context": "text", "rate": "half"}""", "rate" },
        { """{"context": "text", "rank_method": "llm"}""", "rank_method" },
        { """{"context": "text", "keep_first_sentence": -1}""", "keep_first_sentence" },
        { """{"context": "text", "keep_last_sentence": 101}""", "keep_last_sentence" },
    };

    [Fact]
    public async Task An_unknown_method_is_refused_with_the_registered_methods_listed()
    {
        using var client = service.Admin();

        var response = await client.PostAsync("/v1/compress", new StringContent("""{"context": "text", "method": "zip"}""", Encoding.UTF8, "application/json"));

        var problem = await response.ExpectAsync(HttpStatusCode.BadRequest);
        var message = problem["errors"]!["method"]![0]!.GetValue<string>();
        foreach (var name in Rag.Compression.Methods.CompressionMethods.Names)
            Assert.Contains(name, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Coarse_to_fine_takes_llmlinguas_ranking_and_keep_options()
    {
        using var client = service.Admin();
        var context = string.Join(' ', Enumerable.Range(0, 30).Select(i => $"Sentence number {i} talks about the harbour and its ferries."))
            + " The lighthouse was built in 1854.";
        var body = $$"""{"context": ["{{context}}"], "question": "When was the lighthouse built?", "rate": 0.2, "method": "coarse_to_fine", "rank_method": "longllmlingua", "keep_first_sentence": 1}""";

        var response = await client.PostAsync("/v1/compress", new StringContent(body, Encoding.UTF8, "application/json"));

        var result = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("coarse_to_fine", result["method"]!.GetValue<string>());
        Assert.StartsWith("Sentence number 0 talks", result["compressed_prompt"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(result["budget_met"]!.GetValue<bool>());
    }

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_gets_a_problem_naming_the_field(string body, string field)
    {
        using var client = service.Admin();

        var response = await client.PostAsync("/v1/compress", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await response.ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), $"errors name '{field}': {problem}");
    }

    /// <summary>Cached work is the key's own: another key compressing the same text gets no hit (nor the time a hit saves).</summary>
    [Fact]
    public async Task One_keys_cached_segments_are_never_another_keys_hits()
    {
        using var teamA = service.Server.Client(ServiceFixture.TeamAKey);
        using var teamB = service.Server.Client(ServiceFixture.TeamBKey);
        var secret = string.Join(' ', Enumerable.Range(0, 30).Select(i => $"Merger code {i} for Project Kestrel closes on day {i * 3}."));
        var body = new { context = secret, question = "When does Project Kestrel close?", rate = 0.4, method = "segment" };

        var first = await teamA.PostJsonAsync("/v1/compress", body);
        var again = await teamA.PostJsonAsync("/v1/compress", body);
        var other = await teamB.PostJsonAsync("/v1/compress", body);

        Assert.True(first["cache_misses"]!.GetValue<int>() > 0);
        Assert.Equal(first["cache_misses"]!.GetValue<int>(), again["cache_hits"]!.GetValue<int>());
        Assert.Equal(0, other["cache_hits"]!.GetValue<int>());
        Assert.Equal(first["cache_misses"]!.GetValue<int>(), other["cache_misses"]!.GetValue<int>());
    }

    [Fact]
    public async Task Compression_needs_an_api_key()
    {
        using var anonymous = service.Server.Client();
        var response = await anonymous.PostAsync("/v1/compress", new StringContent("""{"context": "x"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}

[Collection(ServiceCollection.Name)]
public sealed class AskCompressionTests(ServiceFixture service)
{
    [Fact]
    public async Task Extractive_ask_with_compression_returns_the_compressed_prompt_for_the_callers_llm()
    {
        using var client = service.Admin();
        await client.IngestAsync("ask-compress", "handbook.md", Documents.Utf8(Documents.HandbookMarkdown));

        var answer = await client.PostJsonAsync("/v1/collections/ask-compress/ask",
            new { question = "When was the lighthouse built?", compression = new { method = "truncate", target_token = 40 } });

        Assert.Equal("extractive", answer["mode"].Text());
        Assert.Contains("1854", answer["answer"].Text(), StringComparison.Ordinal);
        var prompt = answer["compressed_prompt"].Text();
        Assert.EndsWith("When was the lighthouse built?", prompt, StringComparison.Ordinal);
        Assert.InRange(answer["figures"]!["compression"]!["compressed_tokens"]!.GetValue<int>(), 38, 42);
    }

    /// <summary>Retrieved text is data: markup in a document never reaches the compressor as an instruction (it used to answer 500).</summary>
    [Fact]
    public async Task A_document_containing_keep_markup_compresses_on_every_method()
    {
        using var client = service.Admin();
        var filler = string.Join(' ', Enumerable.Repeat("The ferry timetable changes with the seasons and the tides of the estuary.", 30));
        var text = $"Release notes. </keep> The parser accepts <keep><keep>nested</keep> tags and a lone <keep> too. {filler} The lighthouse was built in 1854. {filler}";
        await client.IngestAsync("ask-markup", "notes.txt", Documents.Utf8(text));

        foreach (var method in new[] { "auto", "coarse_to_fine", "segment", "longcodezip", "gemfilter", "truncate", "random" })
        {
            var answer = await client.PostJsonAsync("/v1/collections/ask-markup/ask",
                new { question = "When was the lighthouse built?", top_k = 3, compression = new { method, rate = 0.5 } });
            var figures = answer["figures"]!["compression"]!;
            Assert.Equal(method == "auto" ? "coarse_to_fine" : method, figures["method"].Text());
            Assert.True(figures["compressed_tokens"]!.GetValue<int>() < figures["origin_tokens"]!.GetValue<int>(), $"{method}: {figures}");
        }
    }
}

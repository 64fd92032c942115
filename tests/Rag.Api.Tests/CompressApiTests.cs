using System.Net;
using System.Text;

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
        { """{"context": "text", "method": "segment"}""", "method" },
        { """{"context": "text", "content_type": "cobol"}""", "content_type" },
        { """{"context": "a <keep>b", "rate": 0.5}""", "context" },
        { """{"context": "text", "protected_spans": [{"context": 3, "start": 0, "end": 1}]}""", "protected_spans" },
        { """{"context": "text", "rate": "half"}""", "rate" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_gets_a_problem_naming_the_field(string body, string field)
    {
        using var client = service.Admin();

        var response = await client.PostAsync("/v1/compress", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await response.ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), $"errors name '{field}': {problem}");
    }

    [Fact]
    public async Task Without_a_decoder_auto_truncates_to_the_budget_and_says_so()
    {
        using var client = service.Admin();
        var context = string.Join(' ', Enumerable.Repeat("The tide at the north pier turns forty minutes after the river mouth.", 40));

        var result = await client.PostJsonAsync("/v1/compress", new { context = new[] { context, "<keep>Keep this sentence.</keep> " + context }, question = "When does the tide turn?", target_token = 300 });

        Assert.Equal("truncate", result["method"].Text());
        Assert.InRange(result["compressed_tokens"]!.GetValue<int>(), 285, 315);
        Assert.Contains("Keep this sentence.", result["compressed_prompt"].Text(), StringComparison.Ordinal);
        Assert.EndsWith("When does the tide turn?", result["compressed_prompt"].Text(), StringComparison.Ordinal);
        Assert.True(result["ratio"]!.GetValue<double>() > 2);
        Assert.Contains("none is configured", result["note"].Text(), StringComparison.Ordinal);
        Assert.NotEmpty(result["kept_spans"]!.AsArray());
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

    [Fact]
    public async Task A_compression_method_that_needs_a_decoder_is_refused_naming_it()
    {
        using var client = service.Admin();
        await client.IngestAsync("ask-compress-2", "handbook.md", Documents.Utf8(Documents.HandbookMarkdown));

        var problem = await client.PostJsonAsync("/v1/collections/ask-compress-2/ask",
            new { question = "When?", compression = new { method = "gemfilter", rate = 2.0 } }, HttpStatusCode.BadRequest);

        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("compression.method"), problem.ToJsonString());
        Assert.True(errors.ContainsKey("compression.rate"), problem.ToJsonString());
    }
}

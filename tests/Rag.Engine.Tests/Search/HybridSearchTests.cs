using Rag.Engine.Documents;
using Rag.Engine.Search;
using Rag.Engine.Tests.Models;
using Rag.Retrieval.Parsing;
using Xunit.Abstractions;

namespace Rag.Engine.Tests.Search;

/// <summary>
/// Hybrid retrieval over the fixture embedder: what each ranker finds alone, and that the fusion
/// keeps both. The documents are small Python functions (the kind of text the fixture embedder was
/// trained on: docstring ↔ function) and one error-code table.
/// </summary>
public sealed class HybridSearchTests(ITestOutputHelper output) : IAsyncLifetime
{
    internal static readonly (string Name, string Text)[] Corpus =
    [
        ("read_lines.py", "def read_lines(path):\n    with open(path, encoding='utf-8') as handle:\n        return handle.readlines()\n"),
        ("join_words.py", "def join_words(words, sep=' '):\n    return sep.join(str(w) for w in words)\n"),
        ("mean.py", "def mean(values):\n    total = sum(values)\n    return total / len(values)\n"),
        ("copy_tree.py", "def copy_tree(source, target):\n    for name in os.listdir(source):\n        shutil.copy(os.path.join(source, name), target)\n"),
        ("parse_date.py", "def parse_date(text):\n    year, month, day = text.split('-')\n    return datetime.date(int(year), int(month), int(day))\n"),
        ("send_mail.py", "def send_mail(host, sender, recipient, body):\n    with smtplib.SMTP(host) as server:\n        server.sendmail(sender, [recipient], body)\n"),
        ("error-7731.md", "Loader error QX-7731 is raised when the checksum of a block does not match."),
        ("error-7732.md", "Loader error QX-7732 is raised when a block is missing."),
        ("error-7733.md", "Loader error QX-7733 is raised when the checksum of the index does not match."),
        ("sleep.py", "def wait_seconds(seconds):\n    time.sleep(seconds)\n"),
    ];

    private EngineHarness _engine = null!;

    public async Task InitializeAsync()
    {
        _engine = new EngineHarness(settings: new Dictionary<string, string?>
        {
            ["Rag:Models:Embedder:Path"] = Path.Combine(FixtureModels.Folder, "tiny-embedder"),
        });
        var documents = _engine.Get<DocumentService>();
        foreach (var (name, text) in Corpus)
        {
            var kind = name.EndsWith(".py", StringComparison.Ordinal) ? new DocumentKind(DocumentFormat.Code, "python") : new DocumentKind(DocumentFormat.Markdown);
            await documents.AddAsync(new DocumentUpload("code", System.Text.Encoding.UTF8.GetBytes(text), kind, name, name, []), CancellationToken.None);
        }

        await _engine.DrainAsync();
    }

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    /// <remarks>
    /// What the fixture embedder can and cannot do, measured: it matches sub-word pieces, not
    /// meaning. It finds read_lines.py for "readlines" (a word BM25 never sees: Lucene keeps
    /// "handle.readlines" as one token) but not for a true paraphrase such as "load every row of a
    /// text file" (rank 5 of 10). A real sentence encoder does that; the fusion below is the same.
    /// </remarks>
    [Fact]
    public async Task Hybrid_keeps_an_exact_identifier_from_bm25_and_a_word_only_the_embedder_sees()
    {
        var identifier = "QX-7731";
        var variant = "readlines";

        var lexicalId = await RankOf(identifier, SearchMode.Lexical, "error-7731.md");
        var denseId = await RankOf(identifier, SearchMode.Dense, "error-7731.md");
        var hybridId = await RankOf(identifier, SearchMode.Hybrid, "error-7731.md");
        var lexicalVariant = await RankOf(variant, SearchMode.Lexical, "read_lines.py");
        var denseVariant = await RankOf(variant, SearchMode.Dense, "read_lines.py");
        var hybridVariant = await RankOf(variant, SearchMode.Hybrid, "read_lines.py");
        output.WriteLine($"identifier: lexical {lexicalId}, dense {denseId}, hybrid {hybridId}; variant: lexical {lexicalVariant}, dense {denseVariant}, hybrid {hybridVariant}");

        Assert.Equal(1, lexicalId);
        Assert.NotEqual(1, denseId); // the embedder puts the neighbouring code QX-7732 first
        Assert.Equal(1, hybridId);
        Assert.Null(lexicalVariant);
        Assert.Equal(1, denseVariant);
        Assert.Equal(1, hybridVariant);
    }

    [Fact]
    public async Task Without_a_mode_search_is_hybrid_when_an_embedder_is_configured()
    {
        var outcome = await _engine.Get<SearchService>().SearchAsync("code", new SearchQuery("readlines", 3, []), CancellationToken.None);
        Assert.Equal(SearchMode.Hybrid, outcome.Mode);
        Assert.NotEmpty(outcome.Results);
    }

    [Fact]
    public async Task Deleting_a_document_removes_its_vectors_from_dense_search()
    {
        var hit = (await _engine.Get<SearchService>().SearchAsync("code", new SearchQuery("readlines", 1, [], SearchMode.Dense), CancellationToken.None)).Results.Single();

        await _engine.Get<DocumentService>().DeleteAsync("code", hit.DocumentId, CancellationToken.None);

        var after = await _engine.Get<SearchService>().SearchAsync("code", new SearchQuery("readlines", 10, [], SearchMode.Dense), CancellationToken.None);
        Assert.DoesNotContain(after.Results, r => r.DocumentId == hit.DocumentId);
        Assert.Equal(Corpus.Length - 1, after.Results.Count);
    }

    private async Task<int?> RankOf(string query, SearchMode mode, string title)
    {
        var outcome = await _engine.Get<SearchService>().SearchAsync("code", new SearchQuery(query, 3, [], mode), CancellationToken.None);
        Assert.Equal(mode, outcome.Mode);
        var documents = _engine.Get<DocumentService>();
        for (var i = 0; i < outcome.Results.Count; i++)
        {
            var document = await documents.GetAsync("code", outcome.Results[i].DocumentId, CancellationToken.None);
            if (document!.Title == title)
                return i + 1;
        }

        return null;
    }
}

using Lucene.Net.Analysis;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Rag.Retrieval.Chunking;
using LuceneDocument = Lucene.Net.Documents.Document;

namespace Rag.Retrieval.Lexical;

/// <summary>
/// The embedded lexical index: Lucene.Net with BM25 and English stemming, one index for all
/// collections (every query is filtered by collection). Chunk text lives in the document store;
/// the index holds only what it needs to find chunks.
/// </summary>
public sealed class LuceneLexicalIndex : ILexicalIndex, IDisposable
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private const string CollectionField = "collection";
    private const string DocumentKeyField = "doc_key";
    private const string DocumentIdField = "doc_id";
    private const string ChunkField = "chunk";
    private const string TagField = "tag";
    private const string TextField = "text";
    private const string SectionField = "section";

    private readonly FSDirectory _directory;
    private readonly Analyzer _analyzer;
    private readonly IndexWriter _writer;
    private readonly SearcherManager _searchers;

    /// <summary>Opens (creating if needed) the index in <paramref name="path"/>.</summary>
    public LuceneLexicalIndex(string path)
    {
        System.IO.Directory.CreateDirectory(path);
        _directory = FSDirectory.Open(path);
        _analyzer = new EnglishAnalyzer(Version);
        var config = new IndexWriterConfig(Version, _analyzer)
        {
            OpenMode = OpenMode.CREATE_OR_APPEND,
            Similarity = new BM25Similarity(),
        };
        _writer = new IndexWriter(_directory, config);
        _searchers = new SearcherManager(_writer, applyAllDeletes: true, new Bm25SearcherFactory());
    }

    public Task IndexAsync(string collection, string documentId, IReadOnlyList<string> tags, IReadOnlyList<TextChunk> chunks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(chunks);
        var key = new Term(DocumentKeyField, DocumentKey(collection, documentId));
        var entries = chunks.Select(chunk =>
        {
            var entry = new LuceneDocument
            {
                new StringField(CollectionField, collection, Field.Store.NO),
                new StringField(DocumentKeyField, DocumentKey(collection, documentId), Field.Store.NO),
                new StringField(DocumentIdField, documentId, Field.Store.YES),
                new StoredField(ChunkField, chunk.Index),
                new TextField(TextField, chunk.Text, Field.Store.NO),
            };
            if (chunk.Section is not null)
                entry.Add(new TextField(SectionField, chunk.Section, Field.Store.NO));
            foreach (var tag in tags)
                entry.Add(new StringField(TagField, tag, Field.Store.NO));
            return entry;
        }).ToList();

        cancellationToken.ThrowIfCancellationRequested();
        // Delete-then-add under one key makes a re-run of the same document replace, never duplicate.
        _writer.UpdateDocuments(key, entries);
        Commit();
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string collection, string documentId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _writer.DeleteDocuments(new Term(DocumentKeyField, DocumentKey(collection, documentId)));
        Commit();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<LexicalHit>> SearchAsync(string collection, string query, int topK, IReadOnlyList<string>? tags, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Search(collection, query, topK, tags));
    }

    /// <summary>The synchronous form of <see cref="SearchAsync"/>: the index is in-process.</summary>
    public IReadOnlyList<LexicalHit> Search(string collection, string query, int topK, IReadOnlyList<string>? tags)
    {
        var terms = Analyze(query);
        if (terms.Count == 0)
            return [];

        var match = new BooleanQuery();
        foreach (var term in terms.Distinct())
        {
            match.Add(new TermQuery(new Term(TextField, term)), Occur.SHOULD);
            match.Add(new TermQuery(new Term(SectionField, term)) { Boost = 0.3f }, Occur.SHOULD);
        }

        var scope = new BooleanQuery { { new TermQuery(new Term(CollectionField, collection)), Occur.MUST } };
        foreach (var tag in tags ?? [])
            scope.Add(new TermQuery(new Term(TagField, tag)), Occur.MUST);

        var searcher = _searchers.Acquire();
        try
        {
            var top = searcher.Search(match, new QueryWrapperFilter(scope), topK);
            return top.ScoreDocs.Select(hit =>
            {
                var stored = searcher.Doc(hit.Doc);
                return new LexicalHit(stored.Get(DocumentIdField), stored.GetField(ChunkField).GetInt32Value() ?? 0, hit.Score);
            }).ToList();
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    public void Dispose()
    {
        _searchers.Dispose();
        _writer.Dispose();
        _analyzer.Dispose();
        _directory.Dispose();
    }

    private void Commit()
    {
        _writer.Commit();
        _searchers.MaybeRefreshBlocking();
    }

    private List<string> Analyze(string text)
    {
        var terms = new List<string>();
        using var stream = _analyzer.GetTokenStream(TextField, text);
        var attribute = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
            terms.Add(attribute.ToString());
        stream.End();
        return terms;
    }

    private static string DocumentKey(string collection, string documentId) => $"{collection}/{documentId}";

    private sealed class Bm25SearcherFactory : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) =>
            new(reader) { Similarity = new BM25Similarity() };
    }
}

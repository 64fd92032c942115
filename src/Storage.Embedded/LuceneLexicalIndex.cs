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
using Rag.Retrieval.Lexical;

namespace Rag.Storage.Embedded;

/// <summary>
/// The embedded lexical index: Lucene.Net with BM25 and English stemming, one index per collection
/// (under <c>{path}/collections/{name}</c>), so a collection's BM25 statistics — document frequencies,
/// average lengths — are its own: a score never depends on another tenant's text. Chunk text lives in the
/// document store; the index holds only what it needs to find chunks.
/// </summary>
public sealed class LuceneLexicalIndex : ILexicalIndex, IDisposable
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private const string DocumentKeyField = "doc_key";
    private const string DocumentIdField = "doc_id";
    private const string ChunkField = "chunk";
    private const string TagField = "tag";
    private const string TextField = "text";
    private const string SectionField = "section";

    private readonly string _path;
    private readonly Analyzer _analyzer = new EnglishAnalyzer(Version);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<CollectionIndex>> _collections = new(StringComparer.Ordinal);

    /// <summary>Opens (creating if needed) the indexes under <paramref name="path"/>.</summary>
    public LuceneLexicalIndex(string path)
    {
        _path = Path.GetFullPath(path);
        System.IO.Directory.CreateDirectory(Path.Combine(_path, "collections"));
    }

    /// <summary>
    /// True when <c>{path}</c> still holds the single index of earlier versions (all collections in one,
    /// statistics shared): its documents must be indexed again per collection, then
    /// <see cref="DropLegacyIndex"/> removes it.
    /// </summary>
    public bool HasLegacyIndex => System.IO.Directory.EnumerateFiles(_path, "segments*").Any();

    /// <summary>Deletes the single index of earlier versions (its files directly under <c>{path}</c>).</summary>
    public void DropLegacyIndex()
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(_path))
            File.Delete(file);
    }

    /// <inheritdoc/>
    public Task IndexAsync(string collection, string documentId, IReadOnlyList<string> tags, IReadOnlyList<TextChunk> chunks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(chunks);
        return IndexManyAsync(collection, [new LexicalDocument(documentId, tags, chunks)], cancellationToken);
    }

    /// <summary>Adds every document's entries, then commits once: the commit (its fsyncs and the searcher refresh) is most of the cost of a small document.</summary>
    public Task IndexManyAsync(string collection, IReadOnlyList<LexicalDocument> documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var entries = documents.Select(d => (Key: new Term(DocumentKeyField, d.DocumentId), Entries: Entries(d).ToList())).ToList();
        cancellationToken.ThrowIfCancellationRequested();
        var index = Open(collection, create: true)!;
        // Delete-then-add under one key makes a re-run of the same document replace, never duplicate.
        foreach (var (key, documentEntries) in entries)
            index.Writer.UpdateDocuments(key, documentEntries);
        index.Commit();
        return Task.CompletedTask;
    }

    private static IEnumerable<LuceneDocument> Entries(LexicalDocument document) => document.Chunks.Select(chunk =>
    {
        var entry = new LuceneDocument
        {
            new StringField(DocumentKeyField, document.DocumentId, Field.Store.NO),
            new StringField(DocumentIdField, document.DocumentId, Field.Store.YES),
            new StoredField(ChunkField, chunk.Index),
            new TextField(TextField, chunk.Text, Field.Store.NO),
        };
        if (chunk.Section is not null)
            entry.Add(new TextField(SectionField, chunk.Section, Field.Store.NO));
        foreach (var tag in document.Tags)
            entry.Add(new StringField(TagField, tag, Field.Store.NO));
        return entry;
    });

    /// <inheritdoc/>
    public Task DeleteAsync(string collection, string documentId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Open(collection, create: false) is { } index)
        {
            index.Writer.DeleteDocuments(new Term(DocumentKeyField, documentId));
            index.Commit();
        }

        return Task.CompletedTask;
    }

    /// <summary>Every document's entries in one commit.</summary>
    public Task DeleteManyAsync(string collection, IReadOnlyList<string> documentIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documentIds);
        cancellationToken.ThrowIfCancellationRequested();
        if (documentIds.Count > 0 && Open(collection, create: false) is { } index)
        {
            index.Writer.DeleteDocuments([.. documentIds.Select(id => new Term(DocumentKeyField, id))]);
            index.Commit();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<LexicalHit>> SearchAsync(string collection, string query, int topK, IReadOnlyList<string>? tags, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Search(collection, query, topK, tags));
    }

    /// <summary>The synchronous form of <see cref="SearchAsync"/>: the index is in-process.</summary>
    public IReadOnlyList<LexicalHit> Search(string collection, string query, int topK, IReadOnlyList<string>? tags)
    {
        var terms = Analyze(query);
        if (terms.Count == 0 || Open(collection, create: false) is not { } index)
            return [];

        var match = new BooleanQuery();
        foreach (var term in terms.Distinct())
        {
            match.Add(new TermQuery(new Term(TextField, term)), Occur.SHOULD);
            match.Add(new TermQuery(new Term(SectionField, term)) { Boost = 0.3f }, Occur.SHOULD);
        }

        Filter? scope = null;
        if (tags is { Count: > 0 })
        {
            var all = new BooleanQuery();
            foreach (var tag in tags)
                all.Add(new TermQuery(new Term(TagField, tag)), Occur.MUST);
            scope = new QueryWrapperFilter(all);
        }

        var searcher = index.Searchers.Acquire();
        try
        {
            var top = searcher.Search(match, scope, topK);
            return top.ScoreDocs.Select(hit =>
            {
                var stored = searcher.Doc(hit.Doc);
                return new LexicalHit(stored.Get(DocumentIdField), stored.GetField(ChunkField).GetInt32Value() ?? 0, hit.Score);
            }).ToList();
        }
        finally
        {
            index.Searchers.Release(searcher);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var index in _collections.Values.Where(l => l.IsValueCreated))
            index.Value.Dispose();
        _analyzer.Dispose();
    }

    /// <summary>The collection's index; null when it has none and <paramref name="create"/> is false.</summary>
    private CollectionIndex? Open(string collection, bool create)
    {
        if (_collections.TryGetValue(collection, out var open))
            return open.Value;
        var folder = Path.Combine(_path, "collections", collection);
        if (!create && !System.IO.Directory.Exists(folder))
            return null;
        return _collections.GetOrAdd(collection, _ => new Lazy<CollectionIndex>(() => new CollectionIndex(folder, _analyzer))).Value;
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

    /// <summary>One collection's index: its writer and the searchers that see its commits.</summary>
    private sealed class CollectionIndex : IDisposable
    {
        private readonly FSDirectory _directory;

        public CollectionIndex(string folder, Analyzer analyzer)
        {
            System.IO.Directory.CreateDirectory(folder);
            _directory = FSDirectory.Open(folder);
            Writer = new IndexWriter(_directory, new IndexWriterConfig(Version, analyzer)
            {
                OpenMode = OpenMode.CREATE_OR_APPEND,
                Similarity = new BM25Similarity(),
            });
            Searchers = new SearcherManager(Writer, applyAllDeletes: true, new Bm25SearcherFactory());
        }

        public IndexWriter Writer { get; }

        public SearcherManager Searchers { get; }

        public void Commit()
        {
            Writer.Commit();
            Searchers.MaybeRefreshBlocking();
        }

        public void Dispose()
        {
            Searchers.Dispose();
            Writer.Dispose();
            _directory.Dispose();
        }
    }

    private sealed class Bm25SearcherFactory : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) =>
            new(reader) { Similarity = new BM25Similarity() };
    }
}

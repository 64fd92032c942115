using System.Data.Common;
using Grpc.Core;
using Rag.Compression;
using Rag.Contracts;
using Rag.Engine.Admission;
using Rag.Retrieval.Parsing;
using Rag.Storage.Qdrant;

namespace Rag.Engine.Tests;

/// <summary>Errors say whether a retry can help; the ingestion job gives up at once on those that say no.</summary>
public sealed class TransienceTests
{
    [Fact]
    public void Each_error_says_whether_a_retry_helps()
    {
        Assert.True(new WorkRejectedException(WorkKind.Generation, TimeSpan.FromSeconds(2)).IsTransient);
        Assert.True(new QdrantException(StatusCode.Unavailable, "down").IsTransient);
        Assert.True(new QdrantException(StatusCode.ResourceExhausted, "slow down").IsTransient);
        Assert.True(new QdrantException(StatusCode.DeadlineExceeded, "too slow").IsTransient);
        Assert.True(new QdrantException(StatusCode.Aborted, "conflict").IsTransient);
        Assert.False(new QdrantException(StatusCode.InvalidArgument, "bad filter").IsTransient);
        Assert.False(new QdrantException(StatusCode.NotFound, "no collection").IsTransient);
        Assert.False(new QdrantException(StatusCode.Unauthenticated, "no key").IsTransient);
        Assert.False(new DocumentParseException("not a PDF").IsTransient);
        Assert.False(new CompressionRequestException("rate", "'rate' must be above 0").IsTransient);
    }

    [Fact]
    public void Permanent_means_an_error_in_the_chain_says_so_and_unknown_errors_may_be_retried()
    {
        Assert.True(Transience.IsPermanent(new DocumentParseException("not a PDF")));
        Assert.True(Transience.IsPermanent(new InvalidOperationException("wrapped", new DocumentParseException("not a PDF"))));
        Assert.True(Transience.IsPermanent(new FakeDbException(transient: false)));
        Assert.False(Transience.IsPermanent(new FakeDbException(transient: true)));
        Assert.False(Transience.IsPermanent(new QdrantException(StatusCode.Unavailable, "down")));
        Assert.False(Transience.IsPermanent(new InvalidOperationException("a bug, perhaps a race")));
        Assert.False(Transience.IsPermanent(new HttpRequestException("connection reset")));
    }

    private sealed class FakeDbException(bool transient) : DbException("db")
    {
        public override bool IsTransient => transient;
    }
}

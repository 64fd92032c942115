using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using Qdrant.Client;
using Qdrant.Client.Grpc;

namespace Rag.Storage.Qdrant;

/// <summary>
/// Rag's one way to Qdrant: the official gRPC client (<c>Qdrant.Client</c>) behind a resilience
/// pipeline. Every call runs under its own gRPC deadline (<see cref="QdrantOptions.Timeout"/>);
/// transient failures (Unavailable, ResourceExhausted, DeadlineExceeded, Aborted) are retried with
/// exponential backoff up to <see cref="QdrantOptions.MaxAttempts"/>; what still fails becomes a
/// <see cref="QdrantException"/> naming the operation and Qdrant's words, and is logged.
/// </summary>
public sealed partial class QdrantConnection : IDisposable
{
    private readonly QdrantClient _client;
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _logger;
    private readonly int _maxAttempts;

    /// <param name="options">Endpoint, api-key, TLS thumbprint, attempts and deadline.</param>
    /// <param name="loggerFactory">Where retries and refusals are logged (and the client's own log).</param>
    /// <param name="baseDelay">First backoff delay (doubled per attempt, up to 10 s); default 200 ms.</param>
    public QdrantConnection(QdrantOptions options, ILoggerFactory? loggerFactory = null, TimeSpan? baseDelay = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAttempts, 1);
        var channel = QdrantChannel.ForAddress(options.Endpoint(), new ClientConfiguration
        {
            ApiKey = string.IsNullOrEmpty(options.ApiKey) ? null : options.ApiKey,
            CertificateThumbprint = string.IsNullOrEmpty(options.CertificateThumbprint) ? null : options.CertificateThumbprint,
        });
        _client = new QdrantClient(new QdrantGrpcClient(channel), options.Timeout, loggerFactory);
        _logger = (ILogger?)loggerFactory?.CreateLogger<QdrantConnection>() ?? NullLogger.Instance;
        _maxAttempts = options.MaxAttempts;
        var pipeline = new ResiliencePipelineBuilder();
        if (options.MaxAttempts > 1)
        {
            pipeline.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                Delay = baseDelay ?? TimeSpan.FromMilliseconds(200),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                MaxDelay = TimeSpan.FromSeconds(10),
                ShouldHandle = new PredicateBuilder().Handle<RpcException>(e => QdrantException.IsTransientStatus(e.StatusCode)),
                OnRetry = args =>
                {
                    var status = args.Outcome.Exception is RpcException e ? e.StatusCode : StatusCode.Unknown;
                    Retrying(_logger, args.Context.OperationKey ?? "call", status, args.AttemptNumber + 1, _maxAttempts, args.RetryDelay);
                    return default;
                },
            });
        }

        _pipeline = pipeline.Build();
    }

    /// <summary>Runs one Qdrant call through the pipeline; <paramref name="operation"/> names it in errors and logs.</summary>
    public async Task<T> CallAsync<T>(string operation, Func<QdrantClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var context = ResilienceContextPool.Shared.Get(operation, cancellationToken);
        try
        {
            return await _pipeline.ExecuteAsync(async ctx => await call(_client, ctx.CancellationToken), context);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The Qdrant call was cancelled.", e, cancellationToken);
        }
        catch (RpcException e)
        {
            var transient = QdrantException.IsTransientStatus(e.StatusCode);
            var message = transient
                ? $"Qdrant did not complete {operation} after {_maxAttempts} attempt(s): {e.StatusCode}: {e.Status.Detail}"
                : $"Qdrant refused {operation}: {e.StatusCode}: {e.Status.Detail}";
            Refused(_logger, operation, e.StatusCode, e.Status.Detail);
            throw new QdrantException(e.StatusCode, message, e);
        }
        catch (global::Qdrant.Client.QdrantException e)
        {
            // The client's own check of an answer (e.g. a create that answered false).
            Refused(_logger, operation, StatusCode.Unknown, e.Message);
            throw new QdrantException(StatusCode.Unknown, $"Qdrant refused {operation}: {e.Message}", e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Runs one Qdrant call that answers nothing.</summary>
    public Task CallAsync(string operation, Func<QdrantClient, CancellationToken, Task> call, CancellationToken cancellationToken) =>
        CallAsync(operation, async (client, ct) =>
        {
            await call(client, ct);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Creates a collection with the named vector spaces unless it exists; true if this call created it. Another process
    /// creating it at the same moment is not an error.
    /// </summary>
    public async Task<bool> CreateCollectionAsync(string name, VectorParamsMap vectors, CancellationToken cancellationToken)
    {
        if (await CallAsync($"check {name}", (c, ct) => c.CollectionExistsAsync(name, ct), cancellationToken))
            return false;
        try
        {
            await CallAsync($"create {name}", (c, ct) => c.CreateCollectionAsync(name, vectors, cancellationToken: ct), cancellationToken);
            return true;
        }
        catch (QdrantException e) when (e.StatusCode is StatusCode.AlreadyExists
            || (e.StatusCode is StatusCode.InvalidArgument && e.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();

    [LoggerMessage(EventId = QdrantLogEvents.QdrantRetry, Level = LogLevel.Warning,
        Message = "Qdrant {Operation} failed with {Status}; attempt {Attempt} of {MaxAttempts} in {Delay}")]
    private static partial void Retrying(ILogger logger, string operation, StatusCode status, int attempt, int maxAttempts, TimeSpan delay);

    [LoggerMessage(EventId = QdrantLogEvents.QdrantRefused, Level = LogLevel.Error, Message = "Qdrant refused {Operation}: {Status}: {Detail}")]
    private static partial void Refused(ILogger logger, string operation, StatusCode status, string detail);
}

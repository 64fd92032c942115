using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Rag.Qdrant.StandIn;

/// <summary>
/// A Qdrant server for tests, on a loopback port (there is no Qdrant binary on these machines). It
/// serves Qdrant's own gRPC services (collections, points, health; generated from Qdrant 1.19.0's
/// protos) from memory with Qdrant's semantics — cosine and dot scores, max-sim for multivector
/// spaces, filters, payload selectors, writes applied later unless <c>wait</c> — and refuses what
/// Qdrant refuses (unknown collections and vector names, wrong vector sizes, multivectors where none
/// are configured, malformed ids and filters) with Qdrant's status codes and words. It can demand an
/// <c>api-key</c> and answer the next calls with an injected failure, to exercise a client.
/// </summary>
public sealed class QdrantStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;

    private QdrantStandIn(WebApplication app, StandInState state)
    {
        _app = app;
        State = state;
    }

    internal StandInState State { get; }

    /// <summary>The gRPC endpoint: <c>http://127.0.0.1:{port}</c> (HTTP/2 without TLS), or <c>https://</c> with TLS.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>With TLS: the SHA-256 thumbprint (hex) of the stand-in's self-signed certificate; null without.</summary>
    public string? CertificateThumbprint { get; private set; }

    /// <summary>When set, calls without this <c>api-key</c> header are refused (Unauthenticated), as Qdrant does.</summary>
    public string? ApiKey
    {
        get => State.ApiKey;
        set => State.ApiKey = value;
    }

    /// <summary>Every call served or refused, as <c>Service/Method</c> (e.g. <c>Points/Upsert</c>).</summary>
    public IReadOnlyCollection<string> Calls => State.Calls;

    /// <summary>What the stand-in refused, as <c>Service/Method: StatusCode: message</c> (injected failures not included).</summary>
    public IReadOnlyCollection<string> Refusals => State.Refusals;

    /// <summary>Writes that did not ask to wait (<c>wait</c> unset or false): applied a little later, as Qdrant may.</summary>
    public int UnwaitedWrites => State.UnwaitedWrites;

    /// <summary>Starts a stand-in on a free loopback port; with <paramref name="tls"/>, over TLS with a fresh self-signed certificate.</summary>
    public static async Task<QdrantStandIn> StartAsync(bool tls = false)
    {
        var state = new StandInState();
        var certificate = tls ? SelfSigned() : null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (certificate is not null)
                listen.UseHttps(certificate);
        }));
        builder.Services.AddSingleton(state);
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = 64 * 1024 * 1024; // Qdrant's default limit for a gRPC message
            grpc.Interceptors.Add<StandInInterceptor>();
        });
        var app = builder.Build();
        app.MapGrpcService<CollectionsService>();
        app.MapGrpcService<PointsService>();
        app.MapGrpcService<HealthService>();
        await app.StartAsync();
        var standIn = new QdrantStandIn(app, state)
        {
            Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()),
            CertificateThumbprint = certificate?.GetCertHashString(HashAlgorithmName.SHA256),
        };
        return standIn;
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=qdrant-stand-in", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Kestrel needs the private key in a form it can use on every platform: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>The next calls fail with these statuses (before anything is applied), one call each.</summary>
    public void FailNext(params StatusCode[] statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        foreach (var status in statuses)
            State.Failures.Enqueue(status);
    }

    /// <summary>Points now applied in the collection (0 when there is no such collection).</summary>
    public int PointCount(string collection) => State.Collections.TryGetValue(collection, out var c) ? c.Points.Count : 0;

    /// <summary>Names of the collections that exist.</summary>
    public IReadOnlyList<string> CollectionNames => [.. State.Collections.Keys.Order(StringComparer.Ordinal)];

    /// <summary>
    /// Replaces a collection with an empty one whose only vector space is <paramref name="vectorName"/> — as if an operator
    /// had created it by hand — so a client that assumed another configuration is refused as Qdrant would refuse it.
    /// </summary>
    public void Recreate(string collection, string vectorName, int size) =>
        State.Collections[collection] = new StandInCollection(new Dictionary<string, VectorSpace> { [vectorName] = new(size, global::Qdrant.Client.Grpc.Distance.Cosine, Multi: false) });

    /// <summary>Waits until every write accepted without <c>wait</c> is applied.</summary>
    public Task SettleAsync() => Task.WhenAll(State.Collections.Values.Select(c => c.PendingAsync()));

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>What every service of one stand-in shares.</summary>
internal sealed class StandInState
{
    public ConcurrentDictionary<string, StandInCollection> Collections { get; } = new(StringComparer.Ordinal);
    public ConcurrentQueue<StatusCode> Failures { get; } = new();
    public ConcurrentQueue<string> Calls { get; } = new();
    public ConcurrentQueue<string> Refusals { get; } = new();
    public string? ApiKey { get; set; }
    private int _unwaited;
    public int UnwaitedWrites => _unwaited;
    public void CountUnwaited() => Interlocked.Increment(ref _unwaited);

    public StandInCollection Collection(string name) =>
        Collections.TryGetValue(name ?? "", out var found) ? found : throw Qdrant.NotFound($"Collection `{name}` doesn't exist!");
}

/// <summary>Auth, injected failures and the call log, in front of every method.</summary>
internal sealed class StandInInterceptor(StandInState state) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var method = context.Method.Split('.').Last(); // "/qdrant.Points/Upsert" → "Points/Upsert"
        state.Calls.Enqueue(method);
        if (state.ApiKey is { } key && context.RequestHeaders.GetValue("api-key") != key)
            throw new RpcException(new Status(StatusCode.Unauthenticated, "Must provide an API key or an Authorization bearer token"));
        if (state.Failures.TryDequeue(out var failure))
            throw new RpcException(new Status(failure, "stand-in: injected failure"));
        try
        {
            return await continuation(request, context);
        }
        catch (RpcException e)
        {
            state.Refusals.Enqueue($"{method}: {e.StatusCode}: {e.Status.Detail}");
            throw;
        }
    }
}

/// <summary>Qdrant's error statuses and wording.</summary>
internal static class Qdrant
{
    public static RpcException WrongInput(string message) => new(new Status(StatusCode.InvalidArgument, "Wrong input: " + message));

    public static RpcException NotFound(string message) => new(new Status(StatusCode.NotFound, "Not found: " + message));

    public static RpcException Unsupported(string what) => new(new Status(StatusCode.Unimplemented, $"stand-in: {what} is not implemented (Qdrant has it; add it here when Rag uses it)"));
}

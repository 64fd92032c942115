using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Rag.Compression.Ports;
using Rag.Retrieval.Lexical;
using Rag.Retrieval.Stores;

namespace Rag.Storage.Postgres;

/// <summary>Registers the PostgreSQL adapter for the parts of <c>Rag:Storage</c> set to <c>Postgres</c>.</summary>
public static class PostgresStorage
{
    /// <summary>
    /// Binds and validates <c>Rag:Storage:Postgres</c>, migrates the schema first of the hosted services,
    /// and registers the <paramref name="parts"/> kept in PostgreSQL: documents, chunks, full-text search
    /// and document locks across processes; the segment cache.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration <c>Rag:Storage:Postgres</c> is bound from.</param>
    /// <param name="parts">Which parts live in PostgreSQL.</param>
    public static IServiceCollection AddRagPostgres(this IServiceCollection services, IConfiguration configuration, StorageParts parts)
    {
        services.AddSingleton<IValidateOptions<PostgresOptions>, PostgresOptionsValidator>();
        services.AddOptions<PostgresOptions>().Bind(configuration.GetSection(PostgresOptions.Section)).ValidateOnStart();
        services.AddSingleton(sp => NpgsqlDataSource.Create(ConnectionString(sp)));
        // First of the hosted services: the schema is current before recovery, jobs or requests touch it.
        services.AddHostedService(sp => new PostgresSchemaMigration(ConnectionString(sp), sp.GetRequiredService<ILogger<PostgresSchemaMigration>>()));
        if (parts.HasFlag(StorageParts.Documents))
        {
            services.AddSingleton<IDocumentStore>(sp => new PostgresDocumentStore(sp.GetRequiredService<NpgsqlDataSource>()));
            services.AddSingleton<ILexicalIndex>(sp => new PostgresLexicalIndex(sp.GetRequiredService<NpgsqlDataSource>()));
            services.AddSingleton<IDocumentLocks>(sp => new PostgresDocumentLocks(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<DocumentLocks>()));
        }

        if (parts.HasFlag(StorageParts.SegmentCache))
            services.AddSingleton<ISegmentCache>(sp => new PostgresSegmentCache(sp.GetRequiredService<NpgsqlDataSource>()));
        return services;
    }

    private static string ConnectionString(IServiceProvider services) =>
        services.GetRequiredService<IOptions<PostgresOptions>>().Value.ConnectionString!;
}

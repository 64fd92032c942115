namespace Rag.Api.Startup;

/// <summary>What one process of the service does: <c>--role api|worker|all</c> (default all).</summary>
internal enum ServiceRole
{
    /// <summary>Serves HTTP and runs ingestion jobs: the embedded default, one process.</summary>
    All,

    /// <summary>Serves HTTP; queues jobs for workers but runs none.</summary>
    Api,

    /// <summary>Runs ingestion jobs; serves nothing.</summary>
    Worker,
}

internal static class ServiceRoles
{
    /// <summary>The role from <c>--role</c> (or <c>Rag:Role</c>); throws naming the accepted values.</summary>
    public static ServiceRole From(IConfiguration configuration)
    {
        var value = configuration["role"] ?? configuration["Rag:Role"];
        if (string.IsNullOrWhiteSpace(value))
            return ServiceRole.All;
        return value.Trim().ToLowerInvariant() switch
        {
            "all" => ServiceRole.All,
            "api" => ServiceRole.Api,
            "worker" => ServiceRole.Worker,
            _ => throw new InvalidOperationException($"--role must be api, worker or all; it is '{value}'."),
        };
    }

    public static bool RunsJobs(this ServiceRole role) => role != ServiceRole.Api;
}

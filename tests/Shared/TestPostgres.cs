using System.Diagnostics;
using Npgsql;

namespace Rag.Tests.Shared;

/// <summary>
/// The PostgreSQL server tests use: the one named by <c>RAG_TEST_POSTGRES</c> (a connection string
/// to a server where tests may create databases; <c>.ci/run</c> sets it), else a throwaway cluster
/// this process starts with <c>.ci/postgres</c> and stops when it exits. With neither, tests that
/// need PostgreSQL fail and say why: they never pass without it.
/// </summary>
internal static class TestPostgres
{
    public const string Variable = "RAG_TEST_POSTGRES";

    private static readonly Lazy<Task<string>> Server = new(ConnectAsync);

    /// <summary>A new, empty database of its own; returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var server = await Server.Value;
        var name = "rag_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    private static async Task<string> ConnectAsync()
    {
        var given = Environment.GetEnvironmentVariable(Variable);
        var server = string.IsNullOrWhiteSpace(given) ? await StartClusterAsync() : given;
        await using var connection = new NpgsqlConnection(server);
        try
        {
            await connection.OpenAsync();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"PostgreSQL at '{server}' does not answer ({e.Message}).", e);
        }

        return server;
    }

    private static async Task<string> StartClusterAsync()
    {
        var script = Path.Combine(TestFiles.RepositoryRoot(), ".ci", "postgres");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("start");
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var folder = (await process.StandardError.ReadToEndAsync()).Trim();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"These tests need PostgreSQL. Set {Variable} to a connection string of a server where they may create databases, " +
                $"or install the PostgreSQL 15 server (apt-get install postgresql-15) so that .ci/postgres can start one. It said: {folder}");

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            using var stop = Process.Start("bash", [script, "stop", folder]);
            stop.WaitForExit(30_000);
        };
        return output.Trim();
    }
}

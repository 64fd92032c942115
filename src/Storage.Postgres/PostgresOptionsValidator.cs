using Microsoft.Extensions.Options;

namespace Rag.Storage.Postgres;

/// <summary>Checks <see cref="PostgresOptions"/> at start, naming the configuration key at fault.</summary>
internal sealed class PostgresOptionsValidator : IValidateOptions<PostgresOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgresOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            failures.Add($"{PostgresOptions.Section}:ConnectionString is required when Rag:Storage:Documents or Rag:Storage:SegmentCache is Postgres.");
        if (options.JobInvisibilityTimeout < TimeSpan.FromSeconds(10))
            failures.Add($"{PostgresOptions.Section}:JobInvisibilityTimeout must be at least 10 seconds; it is {options.JobInvisibilityTimeout}.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

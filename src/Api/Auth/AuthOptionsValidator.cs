using Rag.Contracts;

namespace Rag.Api.Auth;

/// <summary>Checks the configured API keys at start, naming the key at fault.</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var key = options.ApiKeys[i];
            var at = $"Auth:ApiKeys:{i}";
            if (string.IsNullOrWhiteSpace(key.Name))
                failures.Add($"{at}:Name is required.");
            if (key.Key.Length < 16)
                failures.Add($"{at}:Key must be at least 16 characters.");
            else if (!seen.Add(key.Key))
                failures.Add($"{at}:Key is the same as another key's.");
            if (key.Collections.Count == 0)
                failures.Add($"{at}:Collections must list at least one collection, or '*'.");
            foreach (var collection in key.Collections.Where(c => c != "*" && !CollectionNames.IsValid(c)))
                failures.Add($"{at}:Collections has '{collection}', which is not a valid collection name ({CollectionNames.Rule}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

namespace Rag.Bench;

/// <summary>Relevant code retention: the functions a question needs, kept by LongCodeZip and the baselines.</summary>
internal static partial class EvalRunner
{
    private static async Task CodeAsync(PromptCompressor compressor, bool quick, Action<string> say, bool show)
    {
        const string Library = "/usr/lib/python3.11";
        if (!Directory.Exists(Library))
        {
            say("\n## Code: skipped (no /usr/lib/python3.11 on this machine)");
            return;
        }

        var cases = new List<(string Code, string Function, List<string> Relevant)>();
        foreach (var file in Directory.EnumerateFiles(Library, "*.py").Order(StringComparer.Ordinal))
        {
            var code = await File.ReadAllTextAsync(file);
            var tokens = Cl100k.CountTokens(code);
            if (tokens is < 3000 or > 12000)
                continue;
            var functions = TopLevelFunctions().Matches(code).Select(m => (Name: m.Groups[1].Value, Start: m.Index)).ToList();
            for (var i = 0; i < functions.Count; i++)
            {
                var end = i + 1 < functions.Count ? functions[i + 1].Start : code.Length;
                var body = code[functions[i].Start..end];
                var callees = functions.Where(f => f.Name != functions[i].Name && Regex.IsMatch(body, $@"\b{Regex.Escape(f.Name)}\(")).Select(f => f.Name).Distinct().ToList();
                if (callees.Count is >= 1 and <= 3 && body.Split('\n').Length is >= 6 and <= 60)
                {
                    cases.Add((code, functions[i].Name, [functions[i].Name, .. callees]));
                    break;
                }
            }

            if (cases.Count >= (quick ? 8 : 25))
                break;
        }

        var rate = 1 / 5.6;
        say($"\n## Code: relevant-function retention at 5.6x\n\n{cases.Count} Python standard library modules of 3k–12k tokens; the question names one function; relevant = it and the module functions it calls ({cases.Sum(c => c.Relevant.Count)} functions); kept = its `def` line survives.\n");
        say("| method | relevant functions kept | the function asked about kept | achieved ratio |");
        say("|---|---|---|---|");
        foreach (var method in (string[])["longcodezip", "longcodezip-ami", "segment", "truncate", "random", "bm25"])
        {
            int kept = 0, total = 0, asked = 0;
            var ratios = new List<double>();
            foreach (var (code, function, relevant) in cases)
            {
                var question = $"What does {function} do, and how does it work?";
                var (prompt, _) = await CompressAsync(compressor, method, [code], question, rate, "python");
                if (show && method == "longcodezip")
                    Console.WriteLine($"---- {function} ({string.Join(", ", relevant)})\n" + string.Join("\n", prompt.Split('\n').Where(l => l.StartsWith("def ", StringComparison.Ordinal) || l.StartsWith("class ", StringComparison.Ordinal) || l.StartsWith("    def ", StringComparison.Ordinal))));
                ratios.Add((double)Cl100k.CountTokens(string.Join("\n\n", code, question)) / Cl100k.CountTokens(prompt));
                foreach (var name in relevant)
                {
                    total++;
                    if (Regex.IsMatch(prompt, $@"def {Regex.Escape(name)}\("))
                    {
                        kept++;
                        asked += name == function ? 1 : 0;
                    }
                }
            }

            var label = method switch
            {
                "longcodezip" => "longcodezip (names and calls first, then AMI: the default)",
                "longcodezip-ami" => "longcodezip, AMI order only (the paper's coarse stage)",
                _ => method,
            };
            say($"| {label} | {(double)kept / total:P0} | {(double)asked / cases.Count:P0} | {ratios.Average():F1}x |");
        }
    }

    [GeneratedRegex(@"(?m)^def (\w+)\(")]
    private static partial Regex TopLevelFunctions();
}

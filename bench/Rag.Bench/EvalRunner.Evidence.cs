using Rag.Text;
namespace Rag.Bench;

/// <summary>Evidence retention: SQuAD and HotpotQA supporting sentences kept at each ratio.</summary>
internal static partial class EvalRunner
{
    private static async Task EvidenceAsync(PromptCompressor compressor, string data, bool quick, Action<string> say)
    {
        // SQuAD (ExpMRC): the question's paragraph among four others of the same article.
        var squad = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(data, "squad-expmrc", "expmrc-squad-dev.json")));
        var squadCases = new List<(List<string> Context, string Question, List<(int Item, string Unit)> Evidence)>();
        foreach (var article in squad.RootElement.GetProperty("data").EnumerateArray())
        {
            var paragraphs = article.GetProperty("paragraphs").EnumerateArray().ToList();
            for (var p = 0; p < paragraphs.Count; p++)
            {
                foreach (var qa in paragraphs[p].GetProperty("qas").EnumerateArray().Take(1))
                {
                    var context = Enumerable.Range(0, 5).Select(k => paragraphs[(p + (k * 7)) % paragraphs.Count].GetProperty("context").GetString()!).ToList();
                    var evidence = qa.GetProperty("evidences").EnumerateArray().Select(e => (0, e.GetString()!)).Where(e => context[0].Contains(e.Item2, StringComparison.Ordinal)).ToList();
                    if (evidence.Count > 0)
                        squadCases.Add((Rotate(context, squadCases.Count % 5), qa.GetProperty("question").GetString()!, evidence.Select(e => ((5 - (squadCases.Count % 5)) % 5, e.Item2)).ToList()));
                }
            }
        }

        // HotpotQA: ten paragraphs, the supporting sentences.
        var hotpot = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(data, "hotpotqa-hipporag", "hotpotqa_train.json")));
        var hotpotCases = new List<(List<string> Context, string Question, List<(int Item, string Unit)> Evidence)>();
        foreach (var question in hotpot.RootElement.EnumerateArray())
        {
            var paragraphs = question.GetProperty("context").EnumerateArray()
                .Select(p => (Title: p[0].GetString()!, Sentences: p[1].EnumerateArray().Select(s => s.GetString()!).ToList())).ToList();
            var context = paragraphs.Select(p => p.Title + ". " + string.Concat(p.Sentences)).ToList();
            var evidence = new List<(int, string)>();
            foreach (var fact in question.GetProperty("supporting_facts").EnumerateArray())
            {
                var item = paragraphs.FindIndex(p => p.Title == fact[0].GetString());
                var sentence = fact[1].GetInt32();
                if (item >= 0 && sentence < paragraphs[item].Sentences.Count && paragraphs[item].Sentences[sentence].Trim().Length > 0)
                    evidence.Add((item, paragraphs[item].Sentences[sentence].Trim()));
            }

            if (evidence.Count > 0)
                hotpotCases.Add((context, question.GetProperty("question").GetString()!, evidence));
        }

        foreach (var (name, cases) in new[] { ("SQuAD (ExpMRC evidence sentences, 5 paragraphs)", squadCases), ("HotpotQA (supporting facts, 10 paragraphs)", hotpotCases) })
        {
            var sample = cases.Take(quick ? 30 : 100).ToList();
            say($"\n## Evidence retention: {name}\n\n{sample.Count} questions; an evidence sentence counts as kept when 90% of its characters survive; \"all\" = every evidence sentence of the question kept.\n");
            say("| method | 2x | 4x | 2x, all | 4x, all |");
            say("|---|---|---|---|---|");
            foreach (var method in Methods)
            {
                var row = new List<string>();
                var whole = new List<string>();
                foreach (var ratio in new[] { 2, 4 })
                {
                    int kept = 0, total = 0, complete = 0;
                    foreach (var (context, question, evidence) in sample)
                    {
                        var (_, spans) = await CompressAsync(compressor, method, context, question, 1.0 / ratio);
                        var all = true;
                        foreach (var (item, sentence) in evidence)
                        {
                            total++;
                            var start = context[item].IndexOf(sentence, StringComparison.Ordinal);
                            if (start >= 0 && Coverage(spans.Where(s => s.Context == item), start, start + sentence.Length) >= 0.9)
                                kept++;
                            else
                                all = false;
                        }

                        complete += all ? 1 : 0;
                    }

                    row.Add($"{(double)kept / total:P0}");
                    whole.Add($"{(double)complete / sample.Count:P0}");
                }

                row.AddRange(whole);

                say($"| {method} | {string.Join(" | ", row)} |");
            }
        }
    }
}

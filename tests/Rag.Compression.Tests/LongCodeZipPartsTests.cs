using Rag.Compression.Methods;

namespace Rag.Compression.Tests;

public sealed class LongCodeZipPartsTests
{
    [Theory]
    [InlineData("@cache\ndef parse_header(line):\n    return line", "python", "parse_header")]
    [InlineData("class Reader(Base):\n    pass", "python", "Reader")]
    [InlineData("/// Reads.\npublic static int ReadAll(Stream s)\n{", "csharp", "ReadAll")]
    [InlineData("export async function loadConfig(path) {", "javascript", "loadConfig")]
    [InlineData("func (s *Server) Serve(l net.Listener) error {", "go", "Serve")]
    [InlineData("static int parse_args(int argc, char **argv)\n{", "c", "parse_args")]
    [InlineData("import os\nimport sys\n", "python", null)]
    public void A_chunk_says_the_name_it_defines(string chunk, string language, string? name) =>
        Assert.Equal(name, CodeChunks.DefinedName(chunk, language));

    [Fact]
    public void The_function_a_question_names_ranks_first_and_its_callees_second()
    {
        string[] chunks =
        [
            "import re\n",
            "def helper(x):\n    return x * 2\n",
            "def parse_header(line):\n    return helper(len(line))\n",
            "def unrelated():\n    return 0\n",
            "def f(y):\n    return y\n",
        ];

        var rank = LongCodeZip.StructureRank(chunks, [.. chunks.Select(_ => (string?)"python")], "What does parse_header do? And f?");

        Assert.Equal([0, 1, 2, 0, 0], rank);
    }

    [Fact]
    public void A_perplexity_spike_ends_a_block()
    {
        double[] v = [1, 1.1, 6, 1, 1.2, 1, 7, 1.1];

        var blocks = LongCodeZip.Blocks(v);

        Assert.Equal([(0, 3), (3, 4), (7, 1)], blocks);
    }

    [Fact]
    public void The_knapsack_is_exact_and_keeps_forced_blocks()
    {
        double[] values = [10, 7, 6, 1, 3];
        int[] weights = [9, 5, 5, 1, 4];
        bool[] forced = [false, false, false, false, true];

        var chosen = LongCodeZip.Knapsack(values, weights, forced, 14);

        // 4 for the forced block leaves 10: 7 + 6 (weights 5 + 5) beats 10 + 1 (9 + 1).
        Assert.Equal([false, true, true, false, true], chosen);
    }

    [Theory]
    [InlineData("python", "import os\n\n@cache\ndef read(path):\n    return open(path).read()\n\nclass Store:\n    def get(self, key):\n        return key\n", new[] { 0, 2, 6, 7 })]
    [InlineData("go", "package main\n\nfunc add(a, b int) int {\n\treturn a + b\n}\n\ntype Point struct {\n\tX int\n}\n", new[] { 0, 2, 6 })]
    [InlineData("javascript", "import x from 'y';\nexport function load(url) {\n  return fetch(url);\n}\nconst parse = (text) => {\n  return JSON.parse(text);\n};\n", new[] { 0, 1, 4 })]
    [InlineData("csharp", "using System;\n\npublic sealed class Store\n{\n    /// <summary>Gets.</summary>\n    public string Get(string key)\n    {\n        return key;\n    }\n}\n", new[] { 0, 2, 4 })]
    [InlineData("cpp", "#include <vector>\n\nint add(int a, int b) {\n    return a + b;\n}\n\nclass Point {\n};\n", new[] { 0, 2, 6 })]
    public void Code_is_cut_where_definitions_start(string language, string code, int[] starts)
    {
        var lines = code.Split('\n');

        Assert.Equal(starts, CodeChunks.Starts(lines, language));
        Assert.Equal(language is "cpp" ? "cpp" : language, CodeChunks.Detect(code) ?? language);
    }
}

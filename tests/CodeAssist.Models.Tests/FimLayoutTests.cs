namespace CodeAssist.Models.Tests;

/// <summary>Golden renderings of each family's FIM layout, and the window fitting of <see cref="FimPrompt"/>.</summary>
public sealed class FimLayoutTests
{
    private static readonly FimPrompt s_prompt = new()
    {
        Prefix = "def add(a, b):\n    return ",
        Suffix = "\n\nprint(add(1, 2))\n",
        FilePath = "src/math.py",
        Language = "python",
        RepositoryName = "demo",
        Snippets = [new ContextSnippet("src/util.py", "def helper(): pass")],
    };

    private static readonly FimPrompt s_fileOnly = new() { Prefix = "x = ", Suffix = "\ny = 2\n" };

    public static TheoryData<string, FimPrompt, string> Cases => new()
    {
        { "QwenCoder", s_fileOnly, "<|fim_prefix|>x = <|fim_suffix|>\ny = 2\n<|fim_middle|>" },
        { "QwenCoder", s_prompt, "<|repo_name|>demo\n<|file_sep|>src/util.py\ndef helper(): pass\n<|file_sep|>src/math.py\n<|fim_prefix|>def add(a, b):\n    return <|fim_suffix|>\n\nprint(add(1, 2))\n<|fim_middle|>" },
        { "StarCoder", s_fileOnly, "<fim_prefix>x = <fim_suffix>\ny = 2\n<fim_middle>" },
        { "StarCoder", s_prompt, "<repo_name>demo<file_sep>src/util.py\ndef helper(): pass\n<file_sep>src/math.py\n<fim_prefix>def add(a, b):\n    return <fim_suffix>\n\nprint(add(1, 2))\n<fim_middle>" },
        { "DeepSeekCoder", s_fileOnly, "<｜fim▁begin｜>x = <｜fim▁hole｜>\ny = 2\n<｜fim▁end｜>" },
        { "DeepSeekCoder", s_prompt, "<｜fim▁begin｜>#src/util.py\ndef helper(): pass\n#src/math.py\ndef add(a, b):\n    return <｜fim▁hole｜>\n\nprint(add(1, 2))\n<｜fim▁end｜>" },
        { "CodeLlama", s_fileOnly, "<PRE> x = <SUF>\ny = 2\n<MID>" },
        { "CodeGeeX4", s_prompt, "<|user|>\n###REFERENCE:\n###PATH: src/util.py\ndef helper(): pass\n###PATH: src/math.py\n###LANGUAGE: python\n###MODE: BLOCK\n<|code_suffix|>\n\nprint(add(1, 2))\n<|code_prefix|>def add(a, b):\n    return <|code_middle|><|assistant|>\n" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RendersTheFamilysLayout(string family, FimPrompt prompt, string expected)
    {
        var template = FimTemplate.For(Enum.Parse<FimFamily>(family));
        Assert.Equal(expected, template.Render(prompt));
    }

    [Fact]
    public void StarCoderOneUsesItsOwnFileMarkers()
    {
        var template = FimTemplate.StarCoder("<reponame>", "<filename>");
        Assert.StartsWith("<reponame>demo<filename>src/util.py\n", template.Render(s_prompt));
    }

    [Fact]
    public void FamilyNamesParse()
    {
        Assert.Equal(FimFamily.QwenCoder, FimTemplate.ParseFamily("qwen2.5-coder"));
        Assert.Equal(FimFamily.CodeGeeX4, FimTemplate.ParseFamily("CodeGeeX4"));
        Assert.Null(FimTemplate.ParseFamily("gpt"));
    }

    private static int CountChars(string text) => text.Length; // one "token" per character keeps the arithmetic visible

    [Fact]
    public void FittingDropsSnippetsFirst()
    {
        var template = FimTemplate.For(FimFamily.StarCoder);
        var prompt = s_prompt with { Snippets = [new ContextSnippet("a", new string('a', 50)), new ContextSnippet("b", new string('b', 500))] };
        var fullCost = template.Build(prompt).Sum(s => s.IsMarker ? 1 : s.Text.Length);
        var fitted = prompt.Fit(template, CountChars, fullCost - 100);
        Assert.Equal(["a"], fitted.Snippets.Select(s => s.Path));
        Assert.Equal(prompt.Prefix, fitted.Prefix);
        Assert.Equal(prompt.Suffix, fitted.Suffix);
    }

    [Fact]
    public void FittingTrimsFarLinesButNeverTheCursorLines()
    {
        var template = FimTemplate.For(FimFamily.StarCoder);
        var prefix = string.Concat(Enumerable.Range(0, 100).Select(i => $"line {i:D3}\n")) + "    cursor line start";
        var suffix = " cursor line end\n" + string.Concat(Enumerable.Range(0, 100).Select(i => $"after {i:D3}\n"));
        var prompt = new FimPrompt { Prefix = prefix, Suffix = suffix, Snippets = [new ContextSnippet("x", "snippet")] };
        var fitted = prompt.Fit(template, CountChars, 300);
        var cost = template.Build(fitted).Sum(s => s.IsMarker ? 1 : s.Text.Length);
        Assert.True(cost <= 300, $"cost {cost}");
        Assert.Empty(fitted.Snippets);
        Assert.EndsWith("line 099\n    cursor line start", fitted.Prefix);
        Assert.StartsWith(" cursor line end\nafter 000\n", fitted.Suffix);
        Assert.EndsWith(fitted.Prefix, prefix, StringComparison.Ordinal);
        Assert.StartsWith(fitted.Suffix, suffix, StringComparison.Ordinal);
        Assert.True(fitted.Prefix.Length > fitted.Suffix.Length, "the prefix keeps the larger share");
    }

    [Fact]
    public void FittingFailsClearlyWhenTheCursorLinesAloneAreTooLong()
    {
        var template = FimTemplate.For(FimFamily.StarCoder);
        var prompt = new FimPrompt { Prefix = new string('x', 500), Suffix = "" };
        var error = Assert.Throws<ModelException>(() => prompt.Fit(template, CountChars, 100));
        Assert.Contains("cursor", error.Message);
    }

    [Fact]
    public void FittingKeepsAPromptThatAlreadyFits()
    {
        var template = FimTemplate.For(FimFamily.QwenCoder);
        Assert.Same(s_prompt, s_prompt.Fit(template, CountChars, 10_000));
    }
}

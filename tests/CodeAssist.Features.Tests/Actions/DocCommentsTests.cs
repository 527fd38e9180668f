using CodeAssist.Features.Actions;

namespace CodeAssist.Features.Tests.Actions;

/// <summary>Documentation edits: only comments, at the members the selection covers, existing docs kept unless asked.</summary>
public sealed class DocCommentsTests
{
    private const string Ledger = "namespace Shop;\r\n\r\npublic sealed class Ledger\r\n{\r\n    /// <summary>The total.</summary>\r\n    public decimal Total { get; private set; }\r\n\r\n    [Obsolete(\"use Add\")]\r\n    public void Post(decimal amount) => Total += amount;\r\n\r\n    public string Label(string name) => $\"{name} 🧾\";\r\n}\r\n";

    private static async Task<(TestSolution Solution, CodeSelection Selection)> LedgerAsync(string selected)
    {
        var solution = await TestSolution.CreateAsync(s => s.Write("src/Shop/Ledger.cs", Ledger));
        return (solution, solution.Select("src/Shop/Ledger.cs", selected));
    }

    [Fact]
    public async Task Members_in_the_selection_get_comments_above_their_attributes_in_the_file_s_line_endings()
    {
        var (solution, selection) = await LedgerAsync("    [Obsolete(\"use Add\")]\r\n    public void Post(decimal amount) => Total += amount;\r\n\r\n    public string Label");
        using var _ = solution;
        var model = new ScriptedModel("/// <summary>Adds <paramref name=\"amount\"/> to the total.</summary>\nvoid Post() { }", "Names the ledger's line. 🧾");

        var result = await DocComments.WriteAsync(solution.Bench(model), selection, overwrite: false, null, CancellationToken.None);

        Assert.Equal(["Ledger.Post(decimal)", "Ledger.Label(string)"], result.Documented);
        var edited = DocComments.Apply(selection.DocumentText, result.Edits);
        Assert.Contains("    /// <summary>Adds <paramref name=\"amount\"/> to the total.</summary>\r\n    [Obsolete(\"use Add\")]\r\n", edited);
        Assert.Contains("    /// <summary>\r\n    /// Names the ledger's line. 🧾\r\n    /// </summary>\r\n    public string Label", edited);
        Assert.All(result.Edits, e => Assert.Equal(e.Start, e.End)); // insertions only
        Assert.Equal(2, model.Prompts.Count);
        Assert.Contains("Document the method Ledger.Post(decimal):", model.Prompts[0][^1].Content);
    }

    [Fact]
    public async Task A_documented_member_is_left_alone_unless_overwrite_replaces_its_comment()
    {
        var (solution, selection) = await LedgerAsync("public decimal Total");
        using var _ = solution;

        var kept = await DocComments.WriteAsync(solution.Bench(new ScriptedModel("The new total.")), selection, overwrite: false, null, CancellationToken.None);
        var replaced = await DocComments.WriteAsync(solution.Bench(new ScriptedModel("The running total of every amount posted.")), selection, overwrite: true, null, CancellationToken.None);

        Assert.Empty(kept.Edits);
        Assert.Equal(["Ledger.Total: already documented"], kept.Skipped);
        var edited = DocComments.Apply(selection.DocumentText, replaced.Edits);
        Assert.Contains("    /// <summary>\r\n    /// The running total of every amount posted.\r\n    /// </summary>\r\n    public decimal Total", edited);
        Assert.DoesNotContain("The total.", edited);
    }

    [Fact]
    public async Task An_answer_of_code_or_noise_still_edits_nothing_but_comments()
    {
        var (solution, selection) = await LedgerAsync("public string Label");
        using var _ = solution;
        var model = new ScriptedModel("}\n public static void Injected() { System.IO.File.Delete(\"x\"); }\n/* */ #region");

        var result = await DocComments.WriteAsync(solution.Bench(model), selection, overwrite: false, null, CancellationToken.None);

        var edit = Assert.Single(result.Edits);
        Assert.All(edit.NewText.Split("\r\n", StringSplitOptions.RemoveEmptyEntries), line => Assert.StartsWith("    ///", line));
        var tree = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(DocComments.Apply(selection.DocumentText, result.Edits));
        Assert.DoesNotContain(tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>(), m => m.Identifier.Text == "Injected");
    }

    [Fact]
    public async Task A_python_function_gets_a_docstring_after_its_def_line()
    {
        var solution = await TestSolution.CreateAsync(s => s.Write("tools/count.py", "import sys\n\ndef count(lines):\n    return len(lines)\n"));
        using var _ = solution;
        var selection = solution.Select("tools/count.py", "def count(lines):\n    return len(lines)");

        var result = await DocComments.WriteAsync(solution.Bench(new ScriptedModel("Counts the lines.")), selection, overwrite: false, null, CancellationToken.None);

        Assert.Equal("import sys\n\ndef count(lines):\n    \"\"\"Counts the lines.\"\"\"\n    return len(lines)\n", DocComments.Apply(selection.DocumentText, result.Edits));
        Assert.Equal(["def count(lines):"], result.Documented);
    }

    [Fact]
    public async Task An_empty_selection_or_one_without_declarations_is_refused_with_what_to_do()
    {
        var (solution, selection) = await LedgerAsync("namespace Shop;");
        using var _ = solution;

        var blank = await Assert.ThrowsAsync<FeatureException>(() =>
            DocComments.WriteAsync(solution.Bench(new ScriptedModel("x")), selection.WithSpan(selection.End, selection.End), false, null, CancellationToken.None));
        var nothing = await Assert.ThrowsAsync<FeatureException>(() =>
            DocComments.WriteAsync(solution.Bench(new ScriptedModel("x")), selection, false, null, CancellationToken.None));

        Assert.Equal("The selection is empty: select the code to document.", blank.Message);
        Assert.StartsWith("The selection holds no declaration to document", nothing.Message);
    }
}

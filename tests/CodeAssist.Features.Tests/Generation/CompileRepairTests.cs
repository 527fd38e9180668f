using CodeAssist.Features.Actions;
using CodeAssist.Features.Generation;

namespace CodeAssist.Features.Tests.Generation;

/// <summary>
/// The compile-and-repair loop of generated tests and C# translations, driven by scripted candidates: each is compiled for
/// real against the solution (the test project, its reference to the code, xUnit), and the errors go back to the model.
/// </summary>
public sealed class CompileRepairTests
{
    private const string Compiling = """
        Here are the tests:
        ```csharp
        namespace Shop.Tests;

        public class OrderGeneratedTests
        {
            [Fact]
            public void Adding_two_lines_counts_two()
            {
                var order = new Order();
                order.AddLine("apple", 2);
                Assert.Equal(2, order.Count);
            }
        }
        ```
        """;

    private const string CallsMissingMember = """
        ```csharp
        namespace Shop.Tests;

        public class OrderGeneratedTests
        {
            [Fact]
            public void Removing_a_line() => new Order().RemoveLine("apple");
        }
        ```
        """;

    private const string MissingSemicolon = "```csharp\nnamespace Shop.Tests;\npublic class OrderGeneratedTests { [Fact] public void A() { Missing x = 1 } }\n```";

    private static async Task<(TestSolution Solution, CodeSelection Selection)> OrderAsync()
    {
        var solution = await TestSolution.CreateAsync();
        return (solution, solution.Select("src/Shop/Order.cs", "public void AddLine"));
    }

    [Fact]
    public async Task A_candidate_that_compiles_at_once_is_offered_in_the_test_project_after_one_round()
    {
        var (solution, selection) = await OrderAsync();
        using var _ = solution;
        var bench = solution.Bench(new ScriptedModel(Compiling));

        var tests = await TestGeneration.GenerateAsync(bench, selection, null, CancellationToken.None);

        Assert.True(tests.Compiles);
        Assert.Equal(1, tests.Rounds);
        Assert.Equal("xunit", tests.Framework);
        Assert.Equal(solution.PathOf("tests/Shop.Tests/OrderGeneratedTests.cs"), tests.Path);
        Assert.StartsWith("namespace Shop.Tests;", tests.Text); // the code, without the answer's prose and fences
        Assert.Empty(tests.Diagnostics);
        Assert.Equal(1, bench.Counters.CompileChecks);
        Assert.Equal(0, bench.Counters.Repairs);
    }

    [Fact]
    public async Task A_rejected_candidate_goes_back_with_its_errors_and_the_repair_is_kept()
    {
        var (solution, selection) = await OrderAsync();
        using var _ = solution;
        var model = new ScriptedModel(CallsMissingMember, Compiling);
        var rounds = new List<int>();

        var tests = await TestGeneration.GenerateAsync(solution.Bench(model), selection, (_, round, _) => { rounds.Add(round); return Task.CompletedTask; }, CancellationToken.None);

        Assert.True(tests.Compiles);
        Assert.Equal(2, tests.Rounds);
        Assert.Equal([1, 2], rounds.Distinct());
        var repair = model.Prompts[1];
        Assert.Equal("assistant", repair[^2].Role);
        Assert.Contains("new Order().RemoveLine(\"apple\")", repair[^2].Content);
        Assert.Contains("- line 6: CS1061 'Order' does not contain a definition for 'RemoveLine'", repair[^1].Content);
    }

    [Fact]
    public async Task After_three_repairs_it_gives_up_with_the_least_broken_candidate_and_its_errors()
    {
        var (solution, selection) = await OrderAsync();
        using var _ = solution;
        var model = new ScriptedModel(MissingSemicolon, CallsMissingMember, MissingSemicolon, "no code at all");
        var bench = solution.Bench(model);

        var tests = await TestGeneration.GenerateAsync(bench, selection, null, CancellationToken.None);

        Assert.False(tests.Compiles);
        Assert.Equal(1 + CompileRepair.MaxRepairs, tests.Rounds);
        Assert.Equal(4, model.Prompts.Count);
        Assert.Contains("RemoveLine", tests.Text); // one error, where the others have more
        var error = Assert.Single(tests.Diagnostics);
        Assert.Equal("CS1061", error.Id);
        Assert.Equal(3, bench.Counters.Repairs);
    }

    [Fact]
    public async Task A_solution_without_a_test_project_is_told_what_to_add()
    {
        var solution = await TestSolution.CreateAsync(s => File.Delete(s.PathOf("tests/Shop.Tests/Shop.Tests.csproj")));
        using var _ = solution;
        var selection = solution.Select("src/Shop/Order.cs", "public void AddLine");

        var refused = await Assert.ThrowsAsync<FeatureException>(() => TestGeneration.GenerateAsync(solution.Bench(new ScriptedModel(Compiling)), selection, null, CancellationToken.None));

        Assert.StartsWith("No test project was found in the workspace", refused.Message);
    }

    [Fact]
    public async Task A_translation_into_csharp_is_compiled_and_repaired_like_tests()
    {
        var solution = await TestSolution.CreateAsync(s => s.Write("tools/count.py", "def count(lines):\n    return len(lines)\n"));
        using var _ = solution;
        var selection = solution.Select("tools/count.py", "def count(lines):\n    return len(lines)");
        var model = new ScriptedModel("```csharp\npublic static class Counter { public static int Count(IList<string> lines) => lines.Length; }\n```",
            "```csharp\npublic static class Counter { public static int Count(IList<string> lines) => lines.Count; }\n```");

        var translation = await Translation.TranslateAsync(solution.Bench(model), selection, "C#", null, CancellationToken.None);

        Assert.Equal("csharp", translation.Language);
        Assert.True(translation.Compiles);
        Assert.Equal(2, translation.Rounds);
        Assert.Contains("lines.Count;", translation.Text);
        Assert.Contains("CS1061", model.Prompts[1][^1].Content);
    }

    [Fact]
    public async Task A_translation_into_another_language_is_not_compiled_and_an_unknown_language_is_refused()
    {
        var (solution, selection) = await OrderAsync();
        using var _ = solution;

        var python = await Translation.TranslateAsync(solution.Bench(new ScriptedModel("```python\ndef add_line(sku, count):\n    pass\n```")), selection, "py", null, CancellationToken.None);
        var unknown = await Assert.ThrowsAsync<FeatureException>(() => Translation.TranslateAsync(solution.Bench(new ScriptedModel("")), selection, "cobol", null, CancellationToken.None));

        Assert.Equal("def add_line(sku, count):\n    pass\n", python.Text);
        Assert.Null(python.Compiles);
        Assert.Equal(0, python.Rounds);
        Assert.Equal($"'cobol' is not a language the translator knows; choose one of {CodeLanguage.Known}.", unknown.Message);
    }
}

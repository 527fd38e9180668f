using CodeAssist.Context;
using CodeAssist.Features.Generation;
using CodeAssist.Models;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Features.Actions;

/// <summary>
/// A new test file: where it goes (<see cref="Path"/>, in the test project), its text, the framework it uses, whether it
/// compiled against the solution, after how many rounds, and what still fails when it did not.
/// </summary>
public sealed record GeneratedTests(string Path, string Text, string Framework, bool Compiles, int Rounds, IReadOnlyList<CodeDiagnostic> Diagnostics);

/// <summary>
/// <c>codeassist/generateTests</c>: unit tests for the members a C# selection covers, in the framework the solution's test
/// projects use (xUnit, NUnit or MSTest), as a new file of the test project that references the code's project. The file
/// is compiled against the solution before it is offered, and repaired from its diagnostics (<see cref="CompileRepair"/>).
/// </summary>
public static class TestGeneration
{
    public const string Task = "tests";
    private const int MaxShownCharacters = 12000;
    private const int ExampleLines = 60;

    private static readonly Dictionary<string, string> s_frameworkNames = new(StringComparer.Ordinal)
    {
        ["xunit"] = "xUnit",
        ["nunit"] = "NUnit",
        ["mstest"] = "MSTest",
    };

    public static async Task<GeneratedTests> GenerateAsync(Workbench bench, CodeSelection selection, Func<string, int, CancellationToken, Task>? onText,
        CancellationToken cancellationToken)
    {
        bench.Counters.Request();
        var budget = PromptBudget.For(bench, bench.MaxAnswerTokens);
        if (selection.Language != CodeLanguage.CSharp) throw new FeatureException("Tests are generated for C# code: select C# members or types.");
        PromptInputs.CheckSelection(bench, selection, budget, "test");
        var root = CodeTargets.Parse(selection.DocumentText).GetRoot(cancellationToken);
        var members = CodeTargets.MembersIn(root, TextSpan.FromBounds(selection.Start, selection.End));
        if (members.Count == 0) throw new FeatureException("The selection holds no declaration to test: select a type or a member.");
        var type = CodeTargets.TypeOf(members[0]);
        string typeName = type?.Identifier.ValueText ?? System.IO.Path.GetFileNameWithoutExtension(selection.Path);
        var targets = members.Select(CodeTargets.DisplayName).ToArray();

        var project = TestProject(bench.Engine, selection.Path);
        string framework = project.TestFramework!;
        string path = FreePath(bench.Engine, System.IO.Path.Combine(project.Directory, $"{typeName}GeneratedTests.cs"));
        string className = System.IO.Path.GetFileNameWithoutExtension(path);
        var example = Example(bench, project, cancellationToken);
        // The whole type (or its outline, when long): tests need its constructors and state, not only the members to test.
        // At most about a third of the prompt (3 characters a token at the least), so a small window still has room for the rest.
        string code = CodeTargets.Shown((MemberDeclarationSyntax?)type ?? members[0], Math.Min(MaxShownCharacters, budget.PromptLimit));
        var template = bench.Template(Task);
        var question = new Question { Text = string.Join(" ", targets), Path = selection.Path, SelectionStart = selection.Start, SelectionEnd = selection.End };

        async Task<string> Generate(CheckedCandidate? previous, int round, CancellationToken token)
        {
            PreparedPrompt Fit(object? shownExample)
            {
                IReadOnlyList<ChatMessage> Render(IReadOnlyList<QuestionItem> items, IReadOnlyList<ChatMessage> _) => template.Render(new
                {
                    Framework = s_frameworkNames[framework],
                    Namespace = project.RootNamespace,
                    ClassName = className,
                    Path = PromptInputs.Relative(bench, selection.Path),
                    Code = code.TrimEnd(),
                    Targets = string.Join(", ", targets),
                    Context = PromptInputs.Context(bench, items),
                    Example = shownExample,
                    Repair = previous is null ? null : Repair(previous),
                });
                string TooLong(int tokens) => $"The code to test takes {tokens:N0} tokens of a prompt; the model's window of {budget.Window:N0} tokens leaves {budget.PromptLimit:N0}: select less.";
                return budget.Fit(bench, Task, question, budget.PromptLimit / 3, [], Render, TooLong, [], token);
            }
            PreparedPrompt prompt;
            try
            {
                prompt = Fit(example);
            }
            catch (FeatureException) when (example is not null)
            {
                // A small window gives up the example test file first.
                prompt = Fit(null);
            }
            var answer = await ModelGeneration.RunAsync(bench, prompt, onText is null ? null : (chunk, t) => onText(chunk, round, t), token).ConfigureAwait(false);
            return CodeBlocks.Extract(answer, "csharp");
        }

        var outcome = await CompileRepair.RunAsync(Generate, text => [.. NoTests(text), .. bench.Engine.CheckDocument(path, text, cancellationToken)], bench.Counters, cancellationToken).ConfigureAwait(false);
        return new GeneratedTests(path, outcome.Text, framework, outcome.Compiles, outcome.Rounds, outcome.Diagnostics);
    }

    private static readonly HashSet<string> s_testAttributes = new(StringComparer.Ordinal) { "Fact", "Theory", "Test", "TestCase", "TestCaseSource", "TestMethod", "DataTestMethod" };

    /// <summary>A file that compiles but tests nothing is no answer either: it is rejected like a compile error.</summary>
    private static IEnumerable<CodeDiagnostic> NoTests(string text)
    {
        var root = CodeTargets.Parse(text).GetRoot();
        bool hasTest = root.DescendantNodes().OfType<MethodDeclarationSyntax>()
            .Any(m => m.AttributeLists.SelectMany(l => l.Attributes).Any(a => s_testAttributes.Contains(a.Name.ToString().Split('.')[^1].Replace("Attribute", "", StringComparison.Ordinal))));
        return hasTest ? [] : [new CodeDiagnostic("CA0001", "The file declares no test method (one with [Fact], [Test], [TestMethod] or the like).", default, IsError: true)];
    }

    /// <summary>The test project for code in <paramref name="path"/>: one that references the code's project, else the only or first one.</summary>
    private static CSharpProject TestProject(ContextEngine engine, string path)
    {
        var projects = engine.Projects();
        var tests = projects.Where(p => p.IsTestProject).ToArray();
        if (tests.Length == 0)
            throw new FeatureException("No test project was found in the workspace: add an xUnit, NUnit or MSTest project (one referencing the code's project) and try again.");
        var owner = engine.ProjectOf(path);
        return tests.FirstOrDefault(t => owner is not null && t.ProjectReferences.Contains(owner.Path, StringComparer.Ordinal))
            ?? tests.FirstOrDefault(t => owner is not null && t.Path == owner.Path)
            ?? tests[0];
    }

    private static string FreePath(ContextEngine engine, string path)
    {
        string directory = System.IO.Path.GetDirectoryName(path)!;
        string stem = System.IO.Path.GetFileNameWithoutExtension(path);
        for (int n = 2; engine.Exists(path); n++) path = System.IO.Path.Combine(directory, $"{stem}{n}.cs");
        return path;
    }

    /// <summary>The start of one of the project's test files, so the model follows its usings and style.</summary>
    private static object? Example(Workbench bench, CSharpProject project, CancellationToken cancellationToken)
    {
        foreach (var file in bench.Engine.ProjectDocuments(project))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (bench.Engine.PromptRefusal(file) is not null) continue;
            string text;
            try
            {
                text = bench.Engine.DocumentText(file);
            }
            catch (ContextException)
            {
                continue;
            }
            if (!text.Contains("[Fact", StringComparison.Ordinal) && !text.Contains("[Test", StringComparison.Ordinal) && !text.Contains("[Theory", StringComparison.Ordinal)) continue;
            var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
            return new { Path = PromptInputs.Relative(bench, file), Text = string.Join("\n", lines.Take(ExampleLines)).TrimEnd() };
        }
        return null;
    }

    /// <summary>A repair round's view of the last candidate: its text and its errors, lines 1-based.</summary>
    internal static object Repair(CheckedCandidate previous) => new
    {
        Candidate = previous.Text.TrimEnd(),
        Diagnostics = previous.Errors.Take(20).Select(d => new { Line = d.Span.StartLine + 1, d.Id, d.Message }).ToArray(),
    };
}

using System.Text;
using System.Text.Json;
using CodeAssist.Bench;

namespace CodeAssist.Bench.Tests;

public sealed class BenchTests : IDisposable
{
    private readonly string _corpus = Path.Combine(Path.GetTempPath(), "codeassist-bench-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_corpus, recursive: true); }
        catch (IOException) { }
    }

    private string Write(string relativePath, string text)
    {
        string path = Path.Combine(_corpus, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static BenchTask Task(string file, int line, int character, string kind, string lineText, params NeededDeclaration[] needed) =>
        new("repo-001", "repo", file, line, character, kind, TaskDocument.LineSha1(lineText), needed);

    private static NeededDeclaration Needed(string symbol, string file, int start, int end) => new(symbol, "method", [new DeclarationLocation(file, start, end)]);

    private static AnswerItem Item(string path, int startLine, int endLine, string text, int endCharacter = 1) =>
        new(path, new AnswerRange(startLine, 0, endLine, endCharacter), "member", text);

    [Fact]
    public void Tasks_load_from_json_lines_with_alternative_locations()
    {
        string line = """{"id":"k-1","repo":"keepass2","file":"A/B.cs","line":3,"character":14,"kind":"member","lineSha1":"5d1dcbc2","needed":[{"symbol":"N.KdbxFile.WriteGroup(System.IO.Stream, N.PwGroup)","kind":"method","file":"A/K.cs","startLine":9,"endLine":10,"also":[{"file":"A/K2.cs","startLine":1,"endLine":1}]}]}""";

        var task = Assert.Single(BenchTask.Parse([line, ""]));

        Assert.Equal(("k-1", "keepass2", "A/B.cs", 3, 14, "member"), (task.Id, task.Repo, task.File, task.Line, task.Character, task.Kind));
        var needed = Assert.Single(task.Needed);
        Assert.Equal("WriteGroup", needed.SimpleName);
        Assert.Equal([new DeclarationLocation("A/K.cs", 9, 10), new DeclarationLocation("A/K2.cs", 1, 1)], needed.Locations);
        Assert.Throws<BenchException>(() => BenchTask.Parse(["{\"id\": 1}"]));
    }

    [Theory]
    [InlineData("N.Dictionary<TKey, TValue>.TryGetValue(TKey, out TValue)", "TryGetValue")]
    [InlineData("N.Outer<T>.Inner", "Inner")]
    [InlineData("N.List<T>.this[int]", "this")]
    [InlineData("Plain", "Plain")]
    public void Simple_names_drop_namespaces_generics_and_parameters(string symbol, string simpleName) =>
        Assert.Equal(simpleName, new NeededDeclaration(symbol, "method", []).SimpleName);

    [Fact]
    public void Truncation_hides_the_rest_of_the_cursor_line_and_keeps_its_break()
    {
        Write("repo/A.cs", "\uFEFFfirst\r\n    var x = Foo.Bar(1);\rthird\nlast");
        var task = Task("A.cs", 1, 16, "member", "    var x = Foo.Bar(1);");

        string document = TaskDocument.Create(task, _corpus);

        Assert.Equal("first\r\n    var x = Foo.\rthird\nlast", document);
        Assert.Equal(4, TaskDocument.SplitLines(document).Count);
        // What typing it again inserts at the cursor: the rest of the line, without its break.
        Assert.Equal("Bar(1);", TaskDocument.HiddenText(task, _corpus));
    }

    [Fact]
    public void Truncation_refuses_a_corpus_whose_line_differs()
    {
        Write("repo/A.cs", "first\nsecond\n");
        Assert.Throws<BenchException>(() => TaskDocument.Create(Task("A.cs", 1, 0, "line", "changed"), _corpus));
        Assert.Throws<BenchException>(() => TaskDocument.Create(Task("Missing.cs", 0, 0, "line", "first"), _corpus));
    }

    [Fact]
    public void A_hit_needs_the_same_file_an_overlapping_range_and_the_name_as_a_whole_word()
    {
        string declaring = Write("repo/K.cs", "");
        Write("repo/A.cs", "x\n");
        var task = Task("A.cs", 0, 0, "line", "x", Needed("N.K.WriteGroup(int)", "K.cs", 10, 11));
        bool Hit(params AnswerItem[] items) => HitRule.Score(task, _corpus, new ContextAnswer(items, 0))[0];

        Assert.True(Hit(Item(declaring, 11, 20, "void WriteGroup(int g);")));
        Assert.True(Hit(Item(new Uri(declaring).AbsoluteUri, 5, 10, "void WriteGroup(int g);")));
        Assert.False(Hit(Item(declaring, 12, 20, "void WriteGroup(int g);")));
        Assert.False(Hit(Item(declaring, 5, 10, "void WriteGroups(int g);")));
        Assert.False(Hit(Item(declaring, 0, 10, "class K", endCharacter: 0))); // ends at character 0 of line 10: stops at line 9
        Assert.True(Hit(Item(declaring, 0, 11, "WriteGroup", endCharacter: 0)));
        Assert.False(Hit(Item(Path.Combine(_corpus, "repo/Other.cs"), 10, 11, "WriteGroup")));
    }

    [Fact]
    public void Items_from_the_document_itself_are_never_hits()
    {
        string document = Write("repo/A.cs", "x\n");
        var task = Task("A.cs", 0, 0, "line", "x", Needed("N.A.Run()", "A.cs", 0, 0));
        Assert.False(HitRule.Score(task, _corpus, new ContextAnswer([Item(document, 0, 0, "Run")], 0))[0]);
    }

    [Fact]
    public void The_Jaccard_baseline_ranks_the_window_sharing_the_most_identifiers()
    {
        const string cursorLine = "    void M(Canvas canvas, Palette palette) { widget.Render(canvas, palette); }";
        Write("repo/Doc.cs", $"class Doc\n{{\n{cursorLine}\n}}\n");
        Write("repo/Widget.cs", "class Widget\n{\n    public void Render(Canvas canvas, Palette palette) { }\n}\n");
        Write("repo/Other.cs", "class Other { int unrelated; }\n");
        Write("repo/bin/Copy.cs", "widget Render canvas palette\n");
        var task = Task("Doc.cs", 2, cursorLine.IndexOf("Render"), "member", cursorLine,
            Needed("Widget.Render(Canvas, Palette)", "Widget.cs", 2, 2));
        string document = TaskDocument.Create(task, _corpus);

        var answer = JaccardBaseline.Build(Path.Combine(_corpus, "repo")).Answer(task, document, 1024);

        var first = answer.Items[0];
        Assert.EndsWith("Widget.cs", first.Location);
        Assert.Equal(new AnswerRange(0, 0, 4, 0), first.Range);
        Assert.DoesNotContain(answer.Items, i => i.Location.Contains("bin") || i.Location.EndsWith("Doc.cs"));
        Assert.True(HitRule.Score(task, _corpus, answer)[0]);
        Assert.Empty(JaccardBaseline.Build(Path.Combine(_corpus, "repo")).Answer(task, document, 5).Items);
    }

    [Fact]
    public async Task The_runner_scores_answers_counts_failures_and_budget_violations()
    {
        string declaring = Write("repo/K.cs", "");
        Write("repo/A.cs", "a\nb\n");
        var member = new BenchTask("repo-1", "repo", "A.cs", 0, 0, "member", TaskDocument.LineSha1("a"),
            [Needed("K.One()", "K.cs", 1, 1), Needed("K.Two()", "K.cs", 5, 5)]);
        var line = new BenchTask("repo-2", "repo", "A.cs", 1, 0, "line", TaskDocument.LineSha1("b"), [Needed("K.Three()", "K.cs", 9, 9)]);
        ContextAnswerer answerer = (task, text, budget, _) => task.Kind == "line"
            ? throw new InvalidOperationException("server crashed")
            : System.Threading.Tasks.Task.FromResult(new ContextAnswer([Item(declaring, 1, 1, "One()" + new string(' ', budget * 5))], budget));

        var report = await BenchRunner.RunAsync([member, line], _corpus, [10, 20], answerer, null, CancellationToken.None);

        Assert.Equal(4, report.Results.Count);
        var summary = report.Summaries.Single(s => s.Budget == 10);
        Assert.Equal(0.5, summary.RecallMember);
        Assert.Equal(0, summary.RecallLine);
        Assert.Equal(0.25, summary.Recall);
        Assert.Equal(0, summary.AllHit);
        Assert.Equal(1, summary.Failures);
        Assert.Equal(1, summary.BudgetViolations);
        Assert.Contains("| repo | 10 | 2 | 0.000 | 0.500 | 0.250 |", report.ToText());
        using var json = JsonDocument.Parse(report.ToJson());
        Assert.Equal(2, json.RootElement.GetProperty("summaries").GetArrayLength());
        Assert.Equal("server crashed", json.RootElement.GetProperty("tasks")[2].GetProperty("error").GetString());
    }

    [Fact]
    public void Percentiles_use_the_nearest_rank()
    {
        var values = Enumerable.Range(1, 100).Select(i => (double)i).ToList();
        Assert.Equal(50, BenchReport.Percentile(values, 0.50));
        Assert.Equal(99, BenchReport.Percentile(values, 0.99));
        Assert.Equal(0, BenchReport.Percentile([], 0.5));
    }

    [Fact]
    public void Summaries_cover_each_repository_and_all_of_them()
    {
        var a = new BenchTask("a-1", "a", "X.cs", 0, 0, "line", "", [Needed("S", "Y.cs", 0, 0)]);
        var b = new BenchTask("b-1", "b", "X.cs", 0, 0, "member", "", [Needed("S", "Y.cs", 0, 0)]);
        var report = new BenchReport([
            new TaskResult(a, 2048, [true], 100, 3, null),
            new TaskResult(b, 2048, [false], 100, 5, null),
        ]);

        Assert.Equal(["a", "b", BenchReport.AllRepos], report.Summaries.Select(s => s.Repo));
        var all = report.Summaries[^1];
        Assert.Equal((0.5, 1.0, 0.0, 0.5), (all.Recall, all.RecallLine, all.RecallMember, all.AllHit));
        Assert.Equal(3, all.LatencyP50Ms);
    }

    [Fact]
    public async Task The_first_request_in_each_document_is_its_own_row_the_opening_alone_another_and_the_runs_first_answer_is_reported()
    {
        string declaring = Write("repo/K.cs", "");
        Write("repo/A.cs", "a\nb\n");
        var first = new BenchTask("repo-1", "repo", "A.cs", 0, 0, "member", TaskDocument.LineSha1("a"), [Needed("K.One()", "K.cs", 1, 1)]);
        var second = new BenchTask("repo-2", "repo", "A.cs", 1, 0, "line", TaskDocument.LineSha1("b"), [Needed("K.One()", "K.cs", 1, 1)]);
        var requests = new List<(string, int)>();
        ContextAnswerer answerer = (task, text, budget, _) =>
        {
            requests.Add((task.Id, budget));
            return System.Threading.Tasks.Task.FromResult(new ContextAnswer([Item(declaring, 1, 1, "One()")], 2));
        };

        var report = await BenchRunner.RunAsync([first, second], _corpus, [10, 20], answerer, null, CancellationToken.None, firstBudget: 20);

        Assert.Equal([("repo-1", 20), ("repo-1", 10), ("repo-1", 20), ("repo-1", 0), ("repo-2", 20), ("repo-2", 10), ("repo-2", 20), ("repo-2", 0)], requests);
        Assert.Equal(2, report.Results.Count(r => r.First));
        Assert.Equal(2, report.Results.Count(r => r.Opening));
        Assert.All(report.Summaries, s => Assert.Equal(2, s.Tasks)); // the budget rows hold the repeated queries only
        Assert.Equal(("repo", 2), (Assert.Single(report.Openings).Repo, report.Openings[0].Requests));
        Assert.Contains("opened again, then a request at budget 0", report.ToText());
        var row = Assert.Single(report.FirstQuery);
        Assert.Equal(("repo", 20, 2, 1.0), (row.Repo, row.Budget, row.Tasks, row.Recall));
        Assert.Equal("repo", Assert.Single(report.FirstAnswers).Repo);
        Assert.Contains("First query in a newly opened file", report.ToText());
        using var json = JsonDocument.Parse(report.ToJson());
        Assert.Equal(1, json.RootElement.GetProperty("firstQuery").GetArrayLength());
        Assert.True(json.RootElement.GetProperty("tasks")[0].GetProperty("first").GetBoolean());
        Assert.Equal(2, json.RootElement.GetProperty("opening")[0].GetProperty("requests").GetInt32());
        Assert.True(json.RootElement.GetProperty("tasks")[3].GetProperty("opening").GetBoolean());
    }

    [Fact]
    public void The_first_query_row_times_every_first_request_but_the_servers_first_answer()
    {
        TaskResult First(string id, double latency) =>
            new(new BenchTask(id, "repo", "A.cs", 0, 0, "line", "00000000", [Needed("K.One()", "K.cs", 1, 1)]), 20, [true], 5, latency, null, First: true);

        var report = new BenchReport([First("repo-1", 500), First("repo-2", 10), First("repo-3", 20)]);

        var row = Assert.Single(report.FirstQuery);
        Assert.Equal((3, 1.0), (row.Tasks, row.Recall)); // recall over every task
        Assert.Equal((10.0, 20.0), (row.LatencyP50Ms, row.LatencyP99Ms)); // latency without the 500 ms start
        Assert.Equal(("repo", 500.0), Assert.Single(report.FirstAnswers));
    }
}

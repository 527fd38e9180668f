using CodeAssist.Context;

namespace CodeAssist.Context.Tests;

/// <summary>A large repository's closed files are compiled without their bodies; answers must not change.</summary>
public sealed class BodylessTreeTests
{
    private static async Task<(IReadOnlyList<ContextItem> Whole, IReadOnlyList<ContextItem> Bodyless)> AnswerBothWays(
        TempWorkspace workspace, Func<ContextEngine, IReadOnlyList<ContextItem>> ask)
    {
        using var whole = await workspace.IndexAsync();
        using var bodyless = await workspace.IndexAsync(bodyless: true);
        return (ask(whole), ask(bodyless));
    }

    private static TempWorkspace CreateShop(string checkout)
    {
        var workspace = new TempWorkspace();
        workspace.Write("src/Entity.cs", Shop.Entity);
        workspace.Write("src/Order.cs", Shop.Order);
        workspace.Write("src/OrderLine.cs", Shop.OrderLine);
        workspace.Write("src/OrderExtensions.cs", Shop.Extensions);
        workspace.Write("src/Checkout.cs", checkout);
        return workspace;
    }

    [Fact]
    public async Task Members_at_a_dot_are_the_same_with_the_same_ranges_as_with_whole_trees()
    {
        var (text, line, character) = TempWorkspace.Cursor(Shop.CheckoutWith("order.|"));
        using var workspace = CreateShop(Shop.CheckoutWith(""));
        string path = workspace.PathOf("src/Checkout.cs");

        var (whole, bodyless) = await AnswerBothWays(workspace, engine =>
        {
            engine.OpenOrChange(path, text);
            return engine.GetContext(path, line, character, 4096, CancellationToken.None).Items;
        });

        Assert.Equal(whole, bodyless);
        var addLine = Assert.Single(bodyless, i => i.Text.Contains("void AddLine(string sku, int count)"));
        // Positions are the file's, not the bodyless tree's: the range starts on the line the signature is on.
        string[] orderLines = File.ReadAllLines(workspace.PathOf("src/Order.cs"));
        Assert.Contains("public void AddLine(string sku, int count)", orderLines[addLine.Range.StartLine]);
        Assert.Contains(bodyless, i => i.Text.Contains("IsLarge(this Order order)"));
    }

    [Fact]
    public async Task A_file_nobody_opened_is_read_whole_for_its_query()
    {
        var (text, line, character) = TempWorkspace.Cursor(Shop.CheckoutWith("var large = order.IsLarge();\n|"));
        using var workspace = CreateShop(text);
        string path = workspace.PathOf("src/Checkout.cs");

        var (whole, bodyless) = await AnswerBothWays(workspace, engine => engine.GetContext(path, line, character, 2048, CancellationToken.None).Items);

        Assert.Equal(whole, bodyless);
        Assert.Contains(bodyless, i => i.Text.Contains("IsLarge(this Order order)"));
        Assert.Contains(bodyless, i => i.Text.Contains("class Order : Entity"));
    }

    private const string Vector = """
        namespace Geometry;

        public struct Vector
        {
            public double X;
            public double Y;
            public double Length() => System.Math.Sqrt(X * X + Y * Y);
            public override int GetHashCode() => X.GetHashCode() ^ Y.GetHashCode();
        }
        """;

    private const string Matrix = """
        namespace Geometry;

        public struct Matrix
        {
            private Vector _row0;
            private Vector _row1;

            public double Determinant()
            {
                var first = _row0;
                return first.X * _row1.Y - first.Y * _row1.X;
            }

            public override int GetHashCode()
            {
                return 0;
            }

            public double Trace
            {
                get { return _row0.X + _row1.Y; }
            }
        }
        """;

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public async Task An_opened_file_answers_as_with_whole_trees_without_compiling_its_text_again(string newLine)
    {
        // Typed into one body, after a surrogate pair; the names around the cursor are in the bodies of the members before and after it.
        string matrix = Matrix.ReplaceLineEndings(newLine);
        var (text, line, character) = TempWorkspace.Cursor(matrix.Replace("return 0;", "return /* \U0001F600 */ _row0.Length().|"));
        using var workspace = new TempWorkspace();
        workspace.Write("src/Vector.cs", Vector.ReplaceLineEndings(newLine));
        string path = workspace.Write("src/Matrix.cs", matrix);
        var log = new List<string>();

        using var whole = await workspace.IndexAsync();
        using var bodyless = await workspace.IndexAsync(log: log, bodyless: true);
        var compilation = bodyless.Snapshot.Compilation;
        IReadOnlyList<ContextItem> Ask(ContextEngine engine)
        {
            engine.OpenOrChange(path, text);
            return engine.GetContext(path, line, character, 4096, CancellationToken.None).Items;
        }
        var expected = Ask(whole);
        var answered = Ask(bodyless);

        Assert.Equal(expected, answered);
        Assert.Contains(answered, i => i.Text.Contains("double Length()"));
        // A check reports where the client's text has the error, not where the graft has it.
        string[] candidates = ["GetHashCode();", "GetHashCod();", "Missing;"];
        var expectedChecks = whole.CheckInsertions(path, line, character, candidates, CancellationToken.None);
        var checks = bodyless.CheckInsertions(path, line, character, candidates, CancellationToken.None);
        Assert.Equal(expectedChecks.Select(c => (c.Text, c.NamesMissing, c.Repair?.Text, string.Join(";", c.Diagnostics.Select(d => (d.Id, d.Span))))),
            checks.Select(c => (c.Text, c.NamesMissing, c.Repair?.Text, string.Join(";", c.Diagnostics.Select(d => (d.Id, d.Span))))));
        Assert.Contains(checks[2].Diagnostics, d => d.Span.StartLine == line);
        Assert.Equal(whole.AnalyzeCompletionSite(path, line, character, CancellationToken.None).Names?.Names,
            bodyless.AnalyzeCompletionSite(path, line, character, CancellationToken.None).Names?.Names);
        Assert.Same(compilation, bodyless.Snapshot.Compilation);
        // One graft served the query, the check and the site: all on the same line of the same text.
        Assert.Equal(1, bodyless.Grafted);
        bodyless.Close(path);
        Assert.Same(compilation, bodyless.Snapshot.Compilation);
    }

    [Fact]
    public async Task An_edit_to_the_declarations_of_an_opened_file_compiles_its_text_and_an_edit_in_a_body_does_not()
    {
        using var workspace = new TempWorkspace();
        workspace.Write("src/Vector.cs", Vector);
        string path = workspace.Write("src/Matrix.cs", Matrix);
        using var engine = await workspace.IndexAsync(bodyless: true);
        var indexed = engine.Snapshot.Compilation;
        var summary = engine.Snapshot.Documents[path].Summary;

        engine.OpenOrChange(path, Matrix.Replace("return 0;", "return 1;"));
        Assert.NotNull(engine.Snapshot.Documents[path].CompiledBodyless);
        engine.OpenOrChange(path, Matrix.Replace("return 0;", "return _row1.GetHashCode();"));
        Assert.Same(indexed, engine.Snapshot.Compilation);

        engine.OpenOrChange(path, Matrix.Replace("private Vector _row1;", "private Vector _row1;\n    private Vector _row2;"));
        Assert.Null(engine.Snapshot.Documents[path].CompiledBodyless);
        Assert.NotSame(indexed, engine.Snapshot.Compilation);
        // The new field binds: the compilation holds the client's declarations.
        var (text, line, character) = TempWorkspace.Cursor(Matrix.Replace("private Vector _row1;", "private Vector _row1;\n    private Vector _row2;").Replace("return 0;", "return _row2.|"));
        engine.OpenOrChange(path, text);
        Assert.Contains(engine.GetContext(path, line, character, 2048, CancellationToken.None).Items, i => i.Text.Contains("double Length()"));

        // Closed unchanged on disk: the file as indexed again, not read and parsed anew (its summary is the same one).
        engine.Close(path);
        Assert.Same(summary, engine.Snapshot.Documents[path].Summary);
        Assert.Same(indexed, engine.Snapshot.Compilation);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_question_about_a_member_of_an_opened_file_is_answered_as_with_whole_trees_without_compiling_its_text(bool bodyless)
    {
        using var workspace = new TempWorkspace();
        workspace.Write("src/Vector.cs", Vector);
        string path = workspace.Write("src/Matrix.cs", Matrix);
        // Edited in one body, so that the compiled tree is not the text in a repository of whole trees either.
        string text = Matrix.Replace("return 0;", "return _row0.GetHashCode();");
        int start = text.IndexOf("var first", StringComparison.Ordinal), end = text.IndexOf("_row1.X;", StringComparison.Ordinal);
        var question = new Question { Text = "what does this compute?", Path = path, SelectionStart = start, SelectionEnd = end };

        // The answer when the compilation holds the text itself: the same files, with the text on disk.
        using var reference = new TempWorkspace();
        reference.Write("src/Vector.cs", Vector);
        string referencePath = reference.Write("src/Matrix.cs", text);
        using var whole = await reference.IndexAsync();
        whole.OpenOrChange(referencePath, text);
        var expected = whole.GetQuestionContext(question with { Path = referencePath }, 4096, CancellationToken.None).Items;

        using var engine = await workspace.IndexAsync(bodyless: bodyless);
        engine.OpenOrChange(path, Matrix);
        engine.OpenOrChange(path, text);
        var compilation = engine.Snapshot.Compilation;
        var answered = engine.GetQuestionContext(question, 4096, CancellationToken.None).Items;

        Assert.Equal(expected.Select(i => (Path.GetRelativePath(reference.Root, i.Path), i.Range, i.Kind, i.Reason)),
            answered.Select(i => (Path.GetRelativePath(workspace.Root, i.Path), i.Range, i.Kind, i.Reason)));
        Assert.Contains(answered, i => i.Kind == "selection" && i.Text.Contains("public double X;"));
        Assert.Contains(answered, i => i.Kind == "selection" && i.Reason.Contains("encloses the selection"));
        Assert.Same(compilation, engine.Snapshot.Compilation);
    }

    [Fact]
    public async Task Assembly_attributes_are_left_out_of_the_bodyless_trees_and_their_directives_kept()
    {
        using var workspace = new TempWorkspace();
        workspace.Write("src/Properties/AssemblyInfo.cs", """
            using System.Reflection;
            [assembly: AssemblyTitle("Geometry")]
            #if DEBUG
            [assembly: AssemblyConfiguration("Debug")]
            #else
            [assembly: AssemblyConfiguration("Release")]
            #endif
            [module: System.Runtime.CompilerServices.SkipLocalsInit]
            namespace Geometry { internal static class Build { public const string Name = "geometry"; } }
            """);
        workspace.Write("src/Vector.cs", Vector);
        string path = workspace.Write("src/Matrix.cs", Matrix);
        var (text, line, character) = TempWorkspace.Cursor(Matrix.Replace("return 0;", "return Build.|"));

        using var whole = await workspace.IndexAsync();
        using var bodyless = await workspace.IndexAsync(bodyless: true);

        Assert.NotEmpty(whole.Snapshot.Compilation.Assembly.GetAttributes());
        Assert.Empty(bodyless.Snapshot.Compilation.Assembly.GetAttributes());
        Assert.Empty(bodyless.Snapshot.Compilation.SourceModule.GetAttributes());
        IReadOnlyList<ContextItem> Ask(ContextEngine engine)
        {
            engine.OpenOrChange(path, text);
            return engine.GetContext(path, line, character, 4096, CancellationToken.None).Items;
        }
        var answered = Ask(bodyless);
        Assert.Equal(Ask(whole), answered);
        Assert.Contains(answered, i => i.Text.Contains("Name = \"geometry\""));
    }
}

using CodeAssist.Bench;

namespace CodeAssist.Bench.Tests;

/// <summary>New tasks are made as shared/bench/README.md describes the public ones, and the runner accepts them.</summary>
public sealed class TaskGeneratorTests : IDisposable
{
    private readonly string _corpus = Path.Combine(Path.GetTempPath(), "codeassist-tasks-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_corpus, recursive: true); }
        catch (IOException) { }
    }

    private void Write(string relativePath, string text)
    {
        string path = Path.Combine(_corpus, "lib", relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    [Fact]
    public void Tasks_need_what_other_files_declare_and_come_from_files_outside_tests()
    {
        Write("src/Shapes.cs", """
            namespace Lib;

            /// <summary>A shape.</summary>
            public static partial class Shapes
            {
                public static int Area(int side) => side * side;
            }

            public enum Fill { None, Solid }
            """);
        Write("src/Shapes.More.cs", "namespace Lib;\n\npublic static partial class Shapes\n{\n    public static int Perimeter(int side) => 4 * side;\n}\n");
        Write("src/Use.cs", """
            namespace Lib;

            public sealed class Use
            {
                private int Local() => 1;

                public int Run()
                {
                    var fill = Fill.Solid;
                    int area = Shapes.Area(3);
                    return Shapes.Perimeter(area) + Local();
                }
            }
            """);
        Write("tests/UseTests.cs", "namespace Lib;\nclass UseTests { int T() => Shapes.Area(1) + Shapes.Perimeter(2); }\n");

        var lines = TaskGenerator.Generate(Path.Combine(_corpus, "lib"), "lib", perKind: 60, seed: 13, CancellationToken.None);
        var tasks = BenchTask.Parse(lines);

        Assert.Equal(lines, TaskGenerator.Generate(Path.Combine(_corpus, "lib"), "lib", perKind: 60, seed: 13, CancellationToken.None));
        Assert.DoesNotContain(tasks, t => t.File.StartsWith("tests/", StringComparison.Ordinal));
        Assert.All(tasks.GroupBy(t => t.File), file => Assert.InRange(file.Count(), 1, TaskGenerator.MaxPerFile));
        Assert.All(tasks, t => Assert.Equal(TaskDocument.LineSha1(File.ReadAllLines(t.DocumentPath(_corpus))[t.Line]), t.LineSha1));
        Assert.All(tasks, t => Assert.NotEmpty(t.Needed));
        Assert.All(tasks.SelectMany(t => t.Needed.Select(n => (t, n))), x => Assert.NotEqual(x.t.File, x.n.Locations[0].File));

        // A member task needs the member after the dot, only.
        Assert.All(tasks.Where(t => t.Kind == "member"), t => Assert.Single(t.Needed));
        // A line naming the partial type and its member: the type with every part as an alternative.
        var line = Assert.Single(tasks, t => t.Kind == "line" && t.Line == 9);
        var shapes = Assert.Single(line.Needed, n => n.Symbol == "Lib.Shapes");
        Assert.Equal("namedtype", shapes.Kind);
        Assert.Equal(["src/Shapes.cs", "src/Shapes.More.cs"], shapes.Locations.Select(l => l.File).Order(StringComparer.Ordinal).Reverse());
        Assert.Equal(3, shapes.Locations.Single(l => l.File == "src/Shapes.cs").StartLine);
        Assert.Contains(line.Needed, n => n.Symbol == "Lib.Shapes.Area(int)");
        Assert.DoesNotContain(tasks.SelectMany(t => t.Needed), n => n.Symbol.Contains("Local", StringComparison.Ordinal));
    }
}

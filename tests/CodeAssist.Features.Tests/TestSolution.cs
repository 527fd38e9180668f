using CodeAssist.Context;
using CodeAssist.Features.Prompts;
using CodeAssist.Models;

namespace CodeAssist.Features.Tests;

/// <summary>
/// A small C# solution written to a temporary folder (a library and its xUnit test project, with central package versions
/// as the samples have them), indexed by a real context engine, and a workbench over it.
/// </summary>
internal sealed class TestSolution : IDisposable
{
    public const string Order = """
        namespace Shop;

        /// <summary>An order of products.</summary>
        public sealed class Order
        {
            private readonly List<string> _lines = new();

            public void AddLine(string sku, int count)
            {
                for (int i = 0; i < count; i++) _lines.Add(sku);
            }

            public int Count => _lines.Count;
        }
        """;

    private TestSolution(string root) => Root = root;

    public string Root { get; }

    public ContextEngine Engine { get; private set; } = null!;

    public static async Task<TestSolution> CreateAsync(Action<TestSolution>? addFiles = null)
    {
        var solution = new TestSolution(Path.Combine(Path.GetTempPath(), "codeassist-features-" + Guid.NewGuid().ToString("N")));
        solution.Write("Directory.Build.props", "<Project><PropertyGroup><ImplicitUsings>enable</ImplicitUsings><Nullable>enable</Nullable></PropertyGroup></Project>");
        solution.Write("Directory.Packages.props", "<Project><ItemGroup><PackageVersion Include=\"xunit\" Version=\"2.9.3\" /></ItemGroup></Project>");
        solution.Write("src/Shop/Shop.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        solution.Write("src/Shop/Order.cs", Order);
        solution.Write("tests/Shop.Tests/Shop.Tests.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <PackageReference Include="xunit" />
                <Using Include="Xunit" />
                <ProjectReference Include="../../src/Shop/Shop.csproj" />
              </ItemGroup>
            </Project>
            """);
        solution.Write("tests/Shop.Tests/OrderTests.cs", "namespace Shop.Tests;\n\npublic class OrderTests\n{\n    [Fact]\n    public void Starts_empty() => Assert.Equal(0, new Order().Count);\n}\n");
        addFiles?.Invoke(solution);
        solution.Engine = new ContextEngine(new ContextOptions { WorkspaceFolders = [solution.Root] });
        await solution.Engine.IndexAsync(null, CancellationToken.None);
        return solution;
    }

    public string Write(string relativePath, string text)
    {
        var path = PathOf(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public string PathOf(string relativePath) => Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar));

    public Workbench Bench(ICodeModel model) => new(Engine, model, PromptLibrary.BuiltIn) { WorkspaceFolders = [Root] };

    /// <summary>The selection of <paramref name="selected"/> (its first occurrence) in a file of the solution.</summary>
    public CodeSelection Select(string relativePath, string selected)
    {
        var path = PathOf(relativePath);
        var text = Engine.DocumentText(path);
        int start = text.IndexOf(selected, StringComparison.Ordinal);
        Assert.True(start >= 0, $"'{selected}' is not in {relativePath}");
        return new CodeSelection(path, text, start, start + selected.Length, CodeLanguage.Of(path));
    }

    public void Dispose()
    {
        Engine.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

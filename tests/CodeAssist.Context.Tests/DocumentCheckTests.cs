using CodeAssist.Context;

namespace CodeAssist.Context.Tests;

/// <summary>
/// Projects as their files describe them, and new documents compiled as part of one: the project's files, its project
/// references, its packages (xUnit from the NuGet folder, as this repository's own tests restore it) and global usings.
/// </summary>
public sealed class DocumentCheckTests
{
    private static async Task<(TempWorkspace Workspace, ContextEngine Engine)> SolutionAsync()
    {
        var workspace = new TempWorkspace();
        workspace.Write("Directory.Build.props", """
            <Project>
              <PropertyGroup>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
            </Project>
            """);
        workspace.Write("Directory.Packages.props", """
            <Project>
              <ItemGroup>
                <PackageVersion Include="xunit" Version="2.9.3" />
              </ItemGroup>
            </Project>
            """);
        workspace.Write("src/Shop/Shop.csproj", """<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><RootNamespace>Shop</RootNamespace></PropertyGroup></Project>""");
        workspace.Write("src/Shop/Order.cs", Shop.Order);
        workspace.Write("src/Shop/Entity.cs", Shop.Entity);
        workspace.Write("src/Shop/OrderLine.cs", Shop.OrderLine);
        workspace.Write("tests/Shop.Tests/Shop.Tests.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <PackageReference Include="xunit" />
                <Using Include="Xunit" />
                <ProjectReference Include="../../src/Shop/Shop.csproj" />
              </ItemGroup>
            </Project>
            """);
        workspace.Write("tests/Shop.Tests/OrderTests.cs", "namespace Shop.Tests;\n\npublic class OrderTests\n{\n    [Fact]\n    public void Empty() => Assert.Equal(0m, new Shop.Order().Total);\n}\n");
        return (workspace, await workspace.IndexAsync());
    }

    [Fact]
    public async Task Projects_say_their_references_usings_and_test_framework()
    {
        var (workspace, engine) = await SolutionAsync();
        using var _ = workspace;
        using var __ = engine;

        var projects = engine.Projects();

        Assert.Equal([workspace.PathOf("src/Shop/Shop.csproj"), workspace.PathOf("tests/Shop.Tests/Shop.Tests.csproj")], projects.Select(p => p.Path));
        var tests = projects[1];
        Assert.Equal("xunit", tests.TestFramework);
        Assert.Equal("2.9.3", tests.PackageReferences["xunit"]);
        Assert.Equal([workspace.PathOf("src/Shop/Shop.csproj")], tests.ProjectReferences);
        Assert.Contains("global::Xunit", tests.GlobalUsings);
        Assert.Contains("System.Linq", tests.GlobalUsings);
        Assert.Null(projects[0].TestFramework);
        Assert.Equal("Shop", projects[0].RootNamespace);
        Assert.Equal(projects[0].Path, engine.ProjectOf(workspace.PathOf("src/Shop/Order.cs"))?.Path);
        Assert.Equal([workspace.PathOf("tests/Shop.Tests/OrderTests.cs")], engine.ProjectDocuments(tests));
    }

    [Fact]
    public async Task A_test_file_compiles_against_the_project_it_references_and_its_packages()
    {
        var (workspace, engine) = await SolutionAsync();
        using var _ = workspace;
        using var __ = engine;

        var diagnostics = engine.CheckDocument(workspace.PathOf("tests/Shop.Tests/OrderGeneratedTests.cs"), """
            namespace Shop.Tests;

            public class OrderGeneratedTests
            {
                [Fact]
                public void Adding_a_line_keeps_the_total()
                {
                    var order = new Shop.Order();
                    order.AddLine("apple", 2);
                    Assert.Equal(0m, order.Total);
                    Assert.NotEmpty(new List<int> { 1 });
                }
            }
            """, CancellationToken.None);

        Assert.DoesNotContain(diagnostics, d => d.IsError);
    }

    [Fact]
    public async Task Errors_come_with_their_id_message_and_span_in_the_checked_text()
    {
        var (workspace, engine) = await SolutionAsync();
        using var _ = workspace;
        using var __ = engine;

        var diagnostics = engine.CheckDocument(workspace.PathOf("tests/Shop.Tests/Broken.cs"), """
            namespace Shop.Tests;

            public class Broken
            {
                [Fact]
                public void Calls_what_does_not_exist() => new Shop.Order().RemoveLine("apple");
            }
            """, CancellationToken.None);

        var error = Assert.Single(diagnostics, d => d.IsError);
        Assert.Equal("CS1061", error.Id);
        Assert.Contains("RemoveLine", error.Message);
        Assert.Equal(5, error.Span.StartLine);
    }

    [Fact]
    public async Task A_file_outside_every_project_compiles_on_its_own_against_the_framework()
    {
        var (workspace, engine) = await SolutionAsync();
        using var _ = workspace;
        using var __ = engine;

        var alone = engine.CheckDocument(workspace.PathOf("scripts/Tool.cs"), "public static class Tool { public static int Twice(int x) => x * 2; }", CancellationToken.None);
        var program = engine.CheckDocument(workspace.PathOf("scripts/Run.cs"), "System.Console.Error.WriteLine(1);", CancellationToken.None);
        var needsProject = engine.CheckDocument(workspace.PathOf("scripts/Uses.cs"), "class Uses { Shop.Order? order; }", CancellationToken.None);

        Assert.Empty(alone);
        Assert.DoesNotContain(program, d => d.IsError); // top-level statements compile as a program
        Assert.Contains(needsProject, d => d.Id == "CS0246");
    }

    [Fact]
    public async Task The_checked_text_replaces_the_file_at_that_path()
    {
        var (workspace, engine) = await SolutionAsync();
        using var _ = workspace;
        using var __ = engine;

        var diagnostics = engine.CheckDocument(workspace.PathOf("src/Shop/OrderLine.cs"), "namespace Shop;\n\npublic sealed record OrderLine(string Sku, int Count, decimal Price);\n", CancellationToken.None);

        Assert.DoesNotContain(diagnostics, d => d.IsError); // no duplicate OrderLine from the indexed file
    }
}

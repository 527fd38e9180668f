using System.Text;
using CodeAssist.Context;

namespace CodeAssist.Context.Tests;

/// <summary>
/// What follows <c>x.</c> on receivers that real code makes hard: types split over many partial files, static classes
/// with hundreds of members and overloads, enums, and extension methods declared elsewhere in the solution.
/// </summary>
public sealed class ReceiverTests
{
    private static ContextResult Query(TempWorkspace workspace, ContextEngine engine, string relativePath, string textWithCursor, int budget = 2048)
    {
        var (text, line, character) = TempWorkspace.Cursor(textWithCursor);
        string path = workspace.PathOf(relativePath);
        engine.OpenOrChange(path, text);
        return engine.GetContext(path, line, character, budget, CancellationToken.None);
    }

    private static string Use(string statement) => $$"""
        namespace App;

        public sealed class Screen
        {
            public void Show(Api.Color color, string title) { }

            public void Render()
            {
                {{statement}}
            }
        }
        """;

    /// <summary>A static class of <paramref name="members"/> methods with the same shape and long doc lines, plus the given ones.</summary>
    private static string LargeApi(int members, string extra) =>
        "namespace Api;\n\npublic enum Color { Red, Green, Blue }\n\npublic static partial class Gfx\n{\n"
        + string.Concat(Enumerable.Range(0, members).Select(i => $"    /// <summary>Draws primitive number {i} with the current state of the pipeline.</summary>\n    public static int Draw{i:000}(int first, int count) => 0;\n"))
        + extra + "}\n";

    [Theory]
    [InlineData("<ImplicitUsings>enable</ImplicitUsings>", "")]
    [InlineData("", "<ItemGroup><Using Include=\"System.Threading.Tasks\" /></ItemGroup>")]
    public async Task A_local_typed_by_an_awaited_task_resolves_where_only_the_project_imports_Task(string property, string items)
    {
        using var workspace = new TempWorkspace();
        workspace.Write("src/App/App.csproj", $"<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework>{property}</PropertyGroup>{items}</Project>");
        workspace.Write("src/App/Catalog.cs", "namespace App;\n\npublic sealed class Book\n{\n    public int Pages { get; init; }\n}\n\npublic sealed class Catalog\n{\n    public Task<Book?> FindAsync(string isbn) => Task.FromResult<Book?>(null);\n}\n");
        using var engine = await workspace.IndexAsync();

        var result = Query(workspace, engine, "src/App/Lending.cs",
            "namespace App;\n\npublic sealed class Lending(Catalog catalog)\n{\n    public async Task<int> PagesAsync(string isbn)\n    {\n        var book = (await catalog.FindAsync(isbn))!;\n        return book.|\n    }\n}\n");

        Assert.Contains(result.Items, i => i.Kind == "receiverMember" && i.Text.Contains("int Pages"));
    }

    [Fact]
    public async Task Members_come_from_every_partial_declaration_and_the_type_from_a_few()
    {
        using var workspace = new TempWorkspace();
        for (int part = 0; part < 12; part++)
            workspace.Write($"src/Util/Strings.Part{part}.cs", $"namespace Util;\n\npublic static partial class Strings\n{{\n    public static string Pad{part}(string text, int width) => text;\n}}\n");
        using var engine = await workspace.IndexAsync();

        var result = Query(workspace, engine, "src/App/Report.cs", "namespace App;\nclass Report { string M() => Util.Strings.| }");

        var members = result.Items.Where(i => i.Kind == "receiverMember").ToList();
        for (int part = 0; part < 12; part++)
            Assert.Contains(members, i => i.Text.Contains($"Pad{part}(string text, int width)") && i.Path == workspace.PathOf($"src/Util/Strings.Part{part}.cs"));
        // Any part names the type; a dozen headers would only crowd out members.
        Assert.InRange(result.Items.Count(i => i.Kind == "type" && i.Text.Contains("partial class Strings")), 1, 3);
    }

    [Fact]
    public async Task A_large_receiver_ranks_what_is_typed_after_the_dot_first()
    {
        using var workspace = new TempWorkspace();
        workspace.Write("src/Api/Gfx.cs", LargeApi(400, "    public static void Present(int swap) { }\n"));
        using var engine = await workspace.IndexAsync();

        var result = Query(workspace, engine, "src/App/Screen.cs", Use("Api.Gfx.Pre|"), budget: 256);

        Assert.Contains("Present(int swap)", result.Items.First(i => i.Kind == "receiverMember").Text);
    }

    [Theory]
    [InlineData("string title = Api.Gfx.|", "string Title()")]
    [InlineData("Show(Api.Gfx.|", "Color Tint()")]
    [InlineData("Show(color: Api.Color.Red, title: Api.Gfx.|", "string Title()")]
    public async Task A_large_receiver_ranks_members_of_the_type_the_position_expects_first(string statement, string expected)
    {
        using var workspace = new TempWorkspace();
        workspace.Write("src/Api/Gfx.cs", LargeApi(400, "    public static string Title() => \"\";\n    public static Color Tint() => Color.Red;\n"));
        using var engine = await workspace.IndexAsync();

        var result = Query(workspace, engine, "src/App/Screen.cs", Use(statement), budget: 512);

        Assert.Contains(expected, result.Items.First(i => i.Kind == "receiverMember").Text);
    }

    [Fact]
    public async Task A_large_receiver_ranks_the_members_the_repository_uses_most_first()
    {
        using var workspace = new TempWorkspace();
        workspace.Write("src/Api/Gfx.cs", LargeApi(400, ""));
        workspace.Write("src/App/Scene.cs", "namespace App;\nclass Scene\n{\n    void Draw()\n    {\n"
            + string.Concat(Enumerable.Repeat("        Api.Gfx.Draw217(0, 3);\n", 40)) + "    }\n}\n");
        using var engine = await workspace.IndexAsync();

        // Only a few members fit: the one the repository calls everywhere must be among them.
        var result = Query(workspace, engine, "src/App/Screen.cs", Use("Api.Gfx.|"), budget: 160);

        Assert.Contains(result.Items.Where(i => i.Kind == "receiverMember"), i => i.Text.Contains("Draw217("));
    }

    [Fact]
    public async Task A_member_named_near_the_cursor_ranks_first()
    {
        using var workspace = new TempWorkspace();
        workspace.Write("src/Api/Gfx.cs", LargeApi(400, ""));
        using var engine = await workspace.IndexAsync();

        // A wrapper calling its namesake, as generated bindings do.
        string wrapper = """
            namespace App;

            public static class Wrapped
            {
                public static int Draw342(int first, int count)
                {
                    return Api.Gfx.|
                }
            }
            """;
        var result = Query(workspace, engine, "src/App/Wrapped.cs", wrapper, budget: 160);

        Assert.Contains("Draw342(", result.Items.First(i => i.Kind == "receiverMember").Text);
    }

    [Fact]
    public async Task Overloads_in_one_file_are_packed_as_one_item_spanning_them()
    {
        using var workspace = new TempWorkspace();
        var writer = new StringBuilder("namespace Api;\n\npublic static class Log\n{\n");
        string[] types = ["string", "int", "long", "double", "bool", "char", "object", "decimal"];
        foreach (var type in types)
            writer.Append($"    /// <summary>Writes the value to every sink configured for the category.</summary>\n    public static void Write({type} value, string category) {{ }}\n");
        workspace.Write("src/Api/Log.cs", writer.Append("}\n").ToString());
        using var engine = await workspace.IndexAsync();

        var result = Query(workspace, engine, "src/App/Screen.cs", Use("Api.Log.|"));

        var group = Assert.Single(result.Items, i => i.Kind == "receiverMember" && i.Text.Contains("Write("));
        foreach (var type in types) Assert.Contains($"Write({type} value, string category)", group.Text);
        Assert.Single(group.Text.Split('\n'), line => line.StartsWith("///", StringComparison.Ordinal)); // one doc line for all
        Assert.Equal((5, 5 + 2 * (types.Length - 1)), (group.Range.StartLine, group.Range.EndLine));
    }

    [Fact]
    public async Task An_enum_lists_all_its_members_in_one_item()
    {
        using var workspace = new TempWorkspace();
        var names = Enumerable.Range(0, 150).Select(i => $"Code{i:000}").ToList();
        workspace.Write("src/Api/Severity.cs", "namespace Api;\n\npublic enum Severity\n{\n" + string.Concat(names.Select((n, i) => $"    {n} = {i},\n")) + "}\n");
        workspace.Write("src/Api/Level.cs", "namespace Api;\n\npublic enum Level { Low, High }\n");
        using var engine = await workspace.IndexAsync();

        var result = Query(workspace, engine, "src/App/Screen.cs", Use("var severity = Api.Severity.|"));

        var listing = Assert.Single(result.Items, i => i.Text.Contains("enum Severity"));
        Assert.All(names, n => Assert.Contains(n, listing.Text));
        Assert.Equal((2, 154), (listing.Range.StartLine, listing.Range.EndLine));
        Assert.DoesNotContain(result.Items, i => i.Kind == "receiverMember" && i.Text.Contains("Code"));

        // Wherever a small enum is offered, its members come with it.
        var level = Query(workspace, engine, "src/App/Screen.cs", Use("Api.Level level = Api.Level.Low;\n        |"));
        Assert.Contains(level.Items, i => i.Text.Contains("enum Level { Low, High }"));
    }

    [Fact]
    public async Task Extension_methods_for_a_generic_type_of_another_project_are_offered_without_their_using()
    {
        using var workspace = new TempWorkspace();
        workspace.Write("Core/Core.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        workspace.Write("Core/Builder.cs", "namespace Core;\n\npublic sealed class Builder<T>\n{\n    public T Build() => default!;\n}\n");
        workspace.Write("Web/Web.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        workspace.Write("Web/Hosting/BuilderExtensions.cs", """
            using Core;
            using Microsoft.Extensions.DependencyInjection;

            namespace Web.Hosting;

            public static class BuilderExtensions
            {
                public static Builder<T> WithRetries<T>(this Builder<T> builder, int retries) => builder;

                public static IServiceCollection AddScreens(this IServiceCollection services) => services;
            }
            """);
        using var engine = await workspace.IndexAsync();

        var generic = Query(workspace, engine, "App/Program.cs", "using Core;\nnamespace App;\nclass Program { void M(Builder<string> builder) { builder.| } }");
        Assert.Contains(generic.Items, i => i.Kind == "receiverMember" && i.Text.Contains("WithRetries<T>(this Builder<T> builder, int retries)"));

        // IServiceCollection comes from a package the compilation lacks: the receiver's type does not bind.
        var unbound = Query(workspace, engine, "App/Startup.cs",
            "using Microsoft.Extensions.DependencyInjection;\nnamespace App;\nclass Startup { void Configure(IServiceCollection services) { services.| } }");
        Assert.Contains(unbound.Items, i => i.Kind == "receiverMember" && i.Text.Contains("AddScreens(this IServiceCollection services)"));
    }

    /// <summary>
    /// A switch over an enum, reopened with another line cut each time as a client does: the receiver's members each
    /// time, from the text the client sent. A large repository's bodyless trees once gave a reopened document the text
    /// of its compiled, bodyless tree.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_enum_in_a_case_label_lists_its_members_each_time_the_document_is_reopened(bool bodyless)
    {
        using var workspace = new TempWorkspace();
        workspace.Write("src/Keys.cs", "namespace Api;\n\nenum MacKey\n{\n" + string.Concat(Enumerable.Range(0, 120).Select(i => $"    KeyPad_{i} = {i},\n")) + "}\n");
        string map = "namespace Api;\n\nstatic class KeyMap\n{\n    static int Map(MacKey key)\n    {\n        switch (key)\n        {\n"
            + string.Concat(Enumerable.Range(0, 100).Select(i => $"            case MacKey.KeyPad_{i}:\n                return {i};\n")) + "        }\n        return 0;\n    }\n}\n";
        workspace.Write("src/KeyMap.cs", map);
        using var engine = await workspace.IndexAsync(bodyless: bodyless);
        string path = workspace.PathOf("src/KeyMap.cs");

        foreach (int at in new[] { 10, 40, 70 })
        {
            var lines = map.Split('\n');
            int line = 8 + 2 * at;
            lines[line] = "            case MacKey.";
            engine.OpenOrChange(path, string.Join('\n', lines));
            var result = engine.GetContext(path, line, lines[line].Length, 2048, CancellationToken.None);
            engine.Close(path);

            var listing = Assert.Single(result.Items, i => i.Text.Contains("enum MacKey"));
            Assert.Contains("KeyPad_119", listing.Text);
        }
    }
}

using System.Text;
using CodeAssist.Context;

namespace CodeAssist.Context.Tests;

/// <summary>What must never reach a prompt, and input that must not break the engine.</summary>
public sealed class ExclusionTests
{
    // Every file declares a type the document uses, so only the exclusion keeps it out.
    private static string Secret(string name) => $"namespace Shop;\npublic static class {name} {{ public static string Value = \"x\"; }}\n";

    private const string Document = """
        namespace Shop;

        public sealed class Reader
        {
            public string Read() => Ignored.Value + Generated.Value + Outside.Value + Keyed.Value + Kept.Value;
        }
        """;

    private static ContextResult QueryReader(TempWorkspace workspace, ContextEngine engine) =>
        engine.GetContext(workspace.PathOf("src/Reader.cs"), 4, 30, 8192, CancellationToken.None);

    [Fact]
    public async Task Ignored_secret_excluded_and_outside_files_never_appear()
    {
        using var workspace = new TempWorkspace();
        using var outside = new TempWorkspace();
        workspace.Write(".gitignore", "# build output\nignored/\n*.tmp.cs\n!keep.tmp.cs\n");
        workspace.Write("src/Reader.cs", Document);
        workspace.Write("ignored/Ignored.cs", Secret("Ignored"));
        workspace.Write("src/Scratch.tmp.cs", Secret("Scratch"));
        workspace.Write("src/keep.tmp.cs", Secret("Kept"));
        workspace.Write("Generated/Generated.cs", Secret("Generated"));
        workspace.Write(".env.local", "Ignored Generated Outside Keyed Value");
        workspace.Write("certs/server.pem", "Ignored Generated Outside Keyed Value");
        workspace.Write("config/secrets.json", "{\"Value\": \"Ignored Generated Outside\"}");
        workspace.Write("src/Keyed.cs", Secret("Keyed") + "// -----BEGIN RSA PRIVATE KEY-----\n// MIIB\n// -----END RSA PRIVATE KEY-----\n");
        outside.Write("Outside.cs", Secret("Outside"));
        Directory.CreateSymbolicLink(workspace.PathOf("linked"), outside.Root);
        var log = new List<string>();

        using var engine = await workspace.IndexAsync(["Generated/**"], log);
        var result = QueryReader(workspace, engine);

        var paths = result.Items.Select(i => i.Path).Distinct().ToList();
        Assert.Equal(["src/keep.tmp.cs"], paths.Select(p => Path.GetRelativePath(workspace.Root, p)).ToList());
        Assert.Contains(log, l => l.Contains("ignored by .gitignore"));
        Assert.Contains(log, l => l.Contains("looks like a secret"));
        Assert.Contains(log, l => l.Contains("contains a private key"));
        Assert.Contains(log, l => l.Contains("excluded by a glob"));
        Assert.Contains(log, l => l.Contains("symlink leads outside"));
        Assert.True(engine.Status.FilesSkipped >= 7);

        // Named explicitly by the file watcher, they stay out too.
        engine.FilesChanged([workspace.PathOf("ignored/Ignored.cs"), workspace.PathOf("Generated/Generated.cs"), workspace.PathOf("certs/server.pem")]);
        Assert.Equal(paths, QueryReader(workspace, engine).Items.Select(i => i.Path).Distinct().ToList());
    }

    [Fact]
    public async Task Binary_invalid_huge_and_unparseable_files_are_skipped_or_survived()
    {
        using var workspace = new TempWorkspace();
        workspace.Write("src/Reader.cs", Document);
        workspace.WriteBytes("src/Binary.cs", [0x4D, 0x5A, 0x00, 0x01, 0x02]);
        workspace.WriteBytes("src/Latin1.cs", Encoding.Latin1.GetBytes("// caf\u00e9\nnamespace Shop { public static class Latin { public const string Caf\u00e9 = \"\"; } }"));
        workspace.WriteBytes("docs/Latin1.md", Encoding.Latin1.GetBytes("caf\u00e9 order line checkout"));
        workspace.Write("src/Huge.cs", "// " + new string('x', 5 * 1024 * 1024));
        workspace.Write("src/Broken.cs", "namespace Shop { public static class Kept { public static string Value = ; } }} class {{ ((");
        var log = new List<string>();

        using var engine = await workspace.IndexAsync(log: log);
        var result = QueryReader(workspace, engine);

        Assert.Contains(log, l => l.Contains("Binary.cs") && l.Contains("binary"));
        Assert.Contains(log, l => l.Contains("Latin1.md") && l.Contains("not valid UTF-8"));
        Assert.Contains(log, l => l.Contains("Huge.cs") && l.Contains("larger than"));
        // C# that is not UTF-8 is read as the compiler reads it, in the code page (Latin-1).
        Assert.DoesNotContain(log, l => l.Contains("Latin1.cs"));
        Assert.Equal(3, engine.Status.FilesIndexed);
        var (use, line, character) = TempWorkspace.Cursor("namespace Shop;\nclass Use { string M() => Latin.| }");
        engine.OpenOrChange(workspace.PathOf("src/Use.cs"), use);
        var latin = engine.GetContext(workspace.PathOf("src/Use.cs"), line, character, 1024, CancellationToken.None);
        Assert.Contains(latin.Items, i => i.Path == workspace.PathOf("src/Latin1.cs") && i.Text.Contains("Caf\u00e9"));
        Assert.Contains(result.Items, i => i.Path == workspace.PathOf("src/Broken.cs") && i.Text.Contains("class Kept"));
    }

    [Fact]
    public async Task Files_deleted_while_indexing_are_skipped()
    {
        using var workspace = new TempWorkspace();
        var files = Enumerable.Range(0, 400).Select(i => workspace.Write($"src/F{i}.cs", $"namespace Shop; class F{i} {{ }}")).ToList();
        using var engine = new ContextEngine(new ContextOptions { WorkspaceFolders = [workspace.Root] });

        var indexing = engine.IndexAsync(null, CancellationToken.None);
        foreach (var file in files.Where((_, i) => i % 2 == 0)) File.Delete(file);
        await indexing;

        Assert.Equal(IndexState.Ready, engine.Status.State);
        Assert.InRange(engine.Status.FilesIndexed, 200, 400);
    }

    [Fact]
    public async Task A_symlink_loop_ends()
    {
        using var workspace = new TempWorkspace();
        workspace.Write("src/Reader.cs", Document);
        workspace.Write("src/Kept.cs", Secret("Kept"));
        Directory.CreateSymbolicLink(workspace.PathOf("src/loop"), workspace.PathOf("src"));
        var log = new List<string>();

        using var engine = await workspace.IndexAsync(log: log);

        Assert.Equal(2, engine.Status.FilesIndexed);
        Assert.Contains(log, l => l.Contains("symlink loop"));
        Assert.Contains(QueryReader(workspace, engine).Items, i => i.Text.Contains("class Kept"));
    }

    [Fact]
    public async Task Positions_outside_the_document_are_clamped()
    {
        using var workspace = new TempWorkspace();
        workspace.Write("src/Reader.cs", Document);
        workspace.Write("src/Kept.cs", Secret("Kept"));
        using var engine = await workspace.IndexAsync();
        string reader = workspace.PathOf("src/Reader.cs");

        foreach (var (line, character) in new[] { (-1, -1), (4, 10_000), (10_000, 0), (0, int.MaxValue) })
        {
            var result = engine.GetContext(reader, line, character, 1024, CancellationToken.None);
            Assert.True(result.Tokens <= 1024);
        }
        Assert.Empty(engine.GetContext(reader, 4, 30, 0, CancellationToken.None).Items);
    }

    [Fact]
    public async Task Unknown_documents_give_a_clear_error_and_never_opened_ones_are_read_from_disk()
    {
        using var workspace = new TempWorkspace();
        using var outside = new TempWorkspace();
        workspace.Write("src/Kept.cs", Secret("Kept"));
        using var engine = await workspace.IndexAsync();

        // Created after indexing and never opened: read from disk for the query.
        workspace.Write("src/Reader.cs", Document);
        Assert.Contains(QueryReader(workspace, engine).Items, i => i.Text.Contains("class Kept"));

        string outsideFile = outside.Write("Other.cs", Document);
        var outsideError = Assert.Throws<ContextException>(() => engine.GetContext(outsideFile, 0, 0, 100, CancellationToken.None));
        Assert.Contains("outside the workspace", outsideError.Message);
        var missingError = Assert.Throws<ContextException>(() => engine.GetContext(workspace.PathOf("src/Missing.cs"), 0, 0, 100, CancellationToken.None));
        Assert.Contains("does not exist", missingError.Message);
        Assert.Throws<ContextException>(() => engine.GetContext("relative/Reader.cs", 0, 0, 100, CancellationToken.None));

        // Opened by the client, a file outside the folders is answered from the workspace but never given as context.
        engine.OpenOrChange(outsideFile, Document);
        Assert.Contains(engine.GetContext(outsideFile, 4, 30, 1000, CancellationToken.None).Items, i => i.Text.Contains("class Kept"));
        var (text, line, character) = TempWorkspace.Cursor("namespace Shop;\nclass X { void M() { Reader r = null; r.| } }");
        engine.OpenOrChange(workspace.PathOf("src/X.cs"), text);
        Assert.DoesNotContain(engine.GetContext(workspace.PathOf("src/X.cs"), line, character, 1000, CancellationToken.None).Items, i => i.Path == outsideFile);
    }

    [Fact]
    public async Task A_folder_without_project_files_or_code_indexes_to_nothing()
    {
        using var workspace = new TempWorkspace();
        workspace.Write("notes.txt", "nothing to see");
        using var engine = await workspace.IndexAsync();
        Assert.Equal(IndexState.Ready, engine.Status.State);
        Assert.Equal(1, engine.Status.FilesIndexed);
    }
}

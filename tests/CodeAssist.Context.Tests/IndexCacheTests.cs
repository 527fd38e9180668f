using CodeAssist.Context;

namespace CodeAssist.Context.Tests;

public sealed class IndexCacheTests : IDisposable
{
    private readonly string _cache = Directory.CreateTempSubdirectory("codeassist-index-cache-").FullName;

    public void Dispose() => Directory.Delete(_cache, recursive: true);

    private static IReadOnlyList<ContextItem> MembersAtDot(TempWorkspace workspace, ContextEngine engine)
    {
        var (text, line, character) = TempWorkspace.Cursor(Shop.CheckoutWith("order.|"));
        string path = workspace.PathOf("src/Checkout.cs");
        engine.OpenOrChange(path, text);
        return engine.GetContext(path, line, character, 4096, CancellationToken.None).Items;
    }

    private static TempWorkspace CreateShop()
    {
        var workspace = new TempWorkspace();
        workspace.Write("src/Entity.cs", Shop.Entity);
        workspace.Write("src/Order.cs", Shop.Order);
        workspace.Write("src/OrderLine.cs", Shop.OrderLine);
        workspace.Write("src/OrderExtensions.cs", Shop.Extensions);
        workspace.Write("src/Checkout.cs", Shop.CheckoutWith(""));
        workspace.Write("docs/orders.md", "Orders are checked out by Checkout.Run; large orders need approval.\n");
        return workspace;
    }

    [Fact]
    public async Task A_second_start_answers_the_same_from_the_cache_and_reads_only_the_CSharp_files_again()
    {
        using var workspace = CreateShop();
        IReadOnlyList<ContextItem> first;
        using (var engine = await workspace.IndexAsync(cacheDirectory: _cache)) first = MembersAtDot(workspace, engine);
        Assert.Single(Directory.EnumerateFiles(_cache, "*.index"));

        var log = new List<string>();
        using var again = await workspace.IndexAsync(log: log, cacheDirectory: _cache);

        // The markdown file is done; the C# files are read once more for their syntax trees.
        Assert.Contains("index cache: 1 files known, 5 to read", log);
        Assert.Equal(6, again.Status.FilesIndexed);
        Assert.Equal(first, MembersAtDot(workspace, again));
        Assert.Contains(first, i => i.Text.Contains("IsLarge(this Order order)"));
    }

    [Fact]
    public async Task A_file_changed_between_starts_is_indexed_from_its_new_text()
    {
        using var workspace = CreateShop();
        using (await workspace.IndexAsync(cacheDirectory: _cache)) { }
        workspace.Write("src/Order.cs", Shop.Order.Replace("public decimal Total => 0m;", "public decimal Total => 0m;\n    public void Cancel(string reason) { }"));
        workspace.Write("docs/orders.md", "Cancelled orders are archived by the nightly job.\n");

        using var engine = await workspace.IndexAsync(cacheDirectory: _cache);

        Assert.Contains(MembersAtDot(workspace, engine), i => i.Text.Contains("Cancel(string reason)"));
        var (text, line, character) = TempWorkspace.Cursor("namespace Shop;\n// Cancelled orders are |\n");
        string notes = workspace.Write("src/Notes.cs", text);
        engine.OpenOrChange(notes, text);
        var lexical = engine.GetContext(notes, line, character, 1024, CancellationToken.None).Items.Where(i => i.Kind == "lexical");
        Assert.Contains(lexical, i => i.Text.Contains("nightly job"));
        Assert.DoesNotContain(lexical, i => i.Text.Contains("approval"));
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("garbage")]
    [InlineData("empty")]
    public async Task A_damaged_cache_file_costs_a_full_index_and_is_written_again(string damage)
    {
        using var workspace = CreateShop();
        IReadOnlyList<ContextItem> first;
        using (var engine = await workspace.IndexAsync(cacheDirectory: _cache)) first = MembersAtDot(workspace, engine);
        string file = Directory.EnumerateFiles(_cache, "*.index").Single();
        byte[] bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, damage switch
        {
            "truncated" => bytes[..(bytes.Length / 2)],
            "garbage" => [.. bytes[..8], .. Enumerable.Repeat((byte)0xFF, 64)],
            _ => [],
        });

        var log = new List<string>();
        using (var engine = await workspace.IndexAsync(log: log, cacheDirectory: _cache))
        {
            Assert.Equal(first, MembersAtDot(workspace, engine));
        }
        Assert.Contains(log, m => m.StartsWith("index cache") && (m.Contains("unreadable") || m.Contains("another format")));
        Assert.Contains("index cache: 0 files known, 6 to read", log);

        log.Clear();
        using (await workspace.IndexAsync(log: log, cacheDirectory: _cache)) { }
        Assert.Contains("index cache: 1 files known, 5 to read", log);
    }
}

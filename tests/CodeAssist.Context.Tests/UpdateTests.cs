using CodeAssist.Context;

namespace CodeAssist.Context.Tests;

public sealed class UpdateTests
{
    private static IReadOnlyList<ContextItem> MembersAtDot(TempWorkspace workspace, ContextEngine engine)
    {
        var (text, line, character) = TempWorkspace.Cursor(Shop.CheckoutWith("order.|"));
        string path = workspace.PathOf("src/Checkout.cs");
        engine.OpenOrChange(path, text);
        return engine.GetContext(path, line, character, 4096, CancellationToken.None).Items;
    }

    [Fact]
    public async Task An_open_documents_text_wins_over_the_disk_until_it_is_closed()
    {
        var (workspace, engine) = await Shop.CreateAsync(Shop.CheckoutWith(""));
        using var _ = workspace;
        using var __ = engine;
        string orderPath = workspace.PathOf("src/Order.cs");

        engine.OpenOrChange(orderPath, Shop.Order.Replace("public decimal Total => 0m;", "public decimal Total => 0m;\n    public void Cancel(string reason) { }"));
        Assert.Contains(MembersAtDot(workspace, engine), i => i.Text.Contains("Cancel(string reason)"));

        engine.Close(orderPath);
        Assert.DoesNotContain(MembersAtDot(workspace, engine), i => i.Text.Contains("Cancel(string reason)"));
        Assert.Contains(MembersAtDot(workspace, engine), i => i.Text.Contains("AddLine("));
    }

    [Fact]
    public async Task Edits_typed_one_character_at_a_time_keep_the_answer_current()
    {
        var (workspace, engine) = await Shop.CreateAsync(Shop.CheckoutWith(""));
        using var _ = workspace;
        using var __ = engine;
        string checkoutPath = workspace.PathOf("src/Checkout.cs");
        string typed = "var line = new OrderLine(\"pear\", 1);\n";
        for (int length = 0; length <= typed.Length; length++)
        {
            engine.OpenOrChange(checkoutPath, Shop.CheckoutWith(typed[..length]));
        }
        var (text, line, character) = TempWorkspace.Cursor(Shop.CheckoutWith(typed + "|"));
        Assert.Equal(text, Shop.CheckoutWith(typed));

        var items = engine.GetContext(checkoutPath, line, character, 2048, CancellationToken.None).Items;

        Assert.Contains(items, i => i.Text.Contains("record OrderLine(string Sku, int Count)"));
    }

    [Fact]
    public async Task An_edit_inside_one_member_body_leaves_the_rest_of_the_document_answerable()
    {
        const string twoMembers = """
            namespace Shop;

            public sealed class Checkout
            {
                public void Run()
                {
                    var order = new Order();
                }

                public decimal Other()
                {
                    var other = Order.Empty();
                    return other.Total;
                }
            }
            """;
        var (workspace, engine) = await Shop.CreateAsync(twoMembers);
        using var _ = workspace;
        using var __ = engine;
        string path = workspace.PathOf("src/Checkout.cs");
        string edited = twoMembers.Replace("var order = new Order();", "var order = new Order();\n        var line = new OrderLine(\"a\", 1);\n        order.");
        engine.OpenOrChange(path, edited);
        var lines = edited.Split('\n');

        // In the edited body: bound speculatively, the new local and the member access resolve.
        int dotLine = Array.FindIndex(lines, l => l.Trim() == "order.");
        var inEdit = engine.GetContext(path, dotLine, lines[dotLine].TrimEnd().Length, 2048, CancellationToken.None).Items;
        Assert.Contains(inEdit, i => i.Kind == "receiverMember" && i.Text.Contains("AddLine("));
        Assert.Contains(inEdit, i => i.Text.Contains("record OrderLine"));

        // In another member, below the edit: positions shift, the answer does not.
        int returnLine = Array.FindIndex(lines, l => l.Contains("return other.Total;"));
        var below = engine.GetContext(path, returnLine, lines[returnLine].IndexOf("Total"), 2048, CancellationToken.None).Items;
        Assert.Contains(below, i => i.Kind == "receiverMember" && i.Text.Contains("decimal Total"));
    }

    [Fact]
    public async Task Lines_typed_inside_a_lambdas_block_answer_with_the_lambdas_parameter_and_the_typed_locals()
    {
        const string withLambda = """
            namespace Shop;

            public sealed class Checkout
            {
                public void Run()
                {
                    System.Func<Order, decimal> total = order =>
                    {
                        return 0m;
                    };
                }
            }
            """;
        var (workspace, engine) = await Shop.CreateAsync(withLambda);
        using var _ = workspace;
        using var __ = engine;
        string path = workspace.PathOf("src/Checkout.cs");
        engine.OpenOrChange(path, withLambda);
        // Two statements typed in the block, the second a member access of the lambda's parameter.
        var (edited, line, character) = TempWorkspace.Cursor(withLambda.Replace("return 0m;", "var line = new OrderLine(\"a\", 1);\n            order.|\n            return 0m;"));
        engine.OpenOrChange(path, edited);

        var items = engine.GetContext(path, line, character, 2048, CancellationToken.None).Items;

        Assert.Contains(items, i => i.Kind == "receiverMember" && i.Text.Contains("AddLine("));
        Assert.Contains(items, i => i.Text.Contains("record OrderLine"));
    }

    [Fact]
    public async Task After_new_the_expected_type_and_its_constructors_come_first()
    {
        var (workspace, engine) = await Shop.CreateAsync(Shop.CheckoutWith(""));
        using var _ = workspace;
        using var __ = engine;
        var (text, line, character) = TempWorkspace.Cursor(Shop.CheckoutWith("OrderLine line = new |"));
        string path = workspace.PathOf("src/Checkout.cs");
        engine.OpenOrChange(path, text);

        var items = engine.GetContext(path, line, character, 2048, CancellationToken.None).Items;

        Assert.Contains("record OrderLine(string Sku, int Count)", items[0].Text);
    }

    [Fact]
    public async Task Files_created_changed_and_deleted_on_disk_are_picked_up()
    {
        var (workspace, engine) = await Shop.CreateAsync(Shop.CheckoutWith(""));
        using var _ = workspace;
        using var __ = engine;

        string extra = workspace.Write("src/MoreExtensions.cs", "namespace Shop;\npublic static class More { public static int Weight(this Order order) => 1; }\n");
        engine.FilesChanged([extra]);
        Assert.Contains(MembersAtDot(workspace, engine), i => i.Text.Contains("Weight(this Order order)"));

        workspace.Write("src/MoreExtensions.cs", "namespace Shop;\npublic static class More { public static int Volume(this Order order) => 1; }\n");
        engine.FilesChanged([extra]);
        var changed = MembersAtDot(workspace, engine);
        Assert.Contains(changed, i => i.Text.Contains("Volume(this Order order)"));
        Assert.DoesNotContain(changed, i => i.Text.Contains("Weight("));

        File.Delete(extra);
        engine.FilesChanged([extra]);
        Assert.DoesNotContain(MembersAtDot(workspace, engine), i => i.Path == extra);
    }

    [Fact]
    public async Task Queries_run_concurrently_with_updates()
    {
        var (workspace, engine) = await Shop.CreateAsync(Shop.CheckoutWith(""));
        using var _ = workspace;
        using var __ = engine;
        string orderPath = workspace.PathOf("src/Order.cs");

        var writer = Task.Run(() =>
        {
            for (int i = 0; i < 200; i++) engine.OpenOrChange(orderPath, Shop.Order.Replace("Total", "Total" + i));
            engine.Close(orderPath);
        });
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 50; i++) Assert.NotEmpty(MembersAtDot(workspace, engine));
        }));
        await Task.WhenAll(readers.Append(writer));

        Assert.Contains(MembersAtDot(workspace, engine), i => i.Text.Contains("decimal Total "));
    }

    [Fact]
    public async Task Queries_answer_before_indexing_with_what_is_ready()
    {
        using var workspace = new TempWorkspace();
        workspace.Write("src/Order.cs", Shop.Order);
        string checkout = workspace.Write("src/Checkout.cs", Shop.CheckoutWith("order.AddLine(\"a\", 1);"));
        using var engine = new ContextEngine(new ContextOptions { WorkspaceFolders = [workspace.Root] });
        Assert.Equal(IndexState.NotStarted, engine.Status.State);

        var before = engine.GetContext(checkout, 7, 8, 2048, CancellationToken.None);
        Assert.DoesNotContain(before.Items, i => i.Path == checkout);

        var progress = new List<IndexProgress>();
        await engine.IndexAsync(new SyncProgress(progress), CancellationToken.None);
        var after = engine.GetContext(checkout, 7, 8, 2048, CancellationToken.None);

        Assert.Equal(IndexState.Ready, engine.Status.State);
        Assert.Equal(2, engine.Status.FilesIndexed);
        Assert.Equal("ready", progress[^1].Message);
        Assert.Contains(after.Items, i => i.Text.Contains("AddLine("));
    }

    private sealed class SyncProgress(List<IndexProgress> reports) : IProgress<IndexProgress>
    {
        public void Report(IndexProgress value) => reports.Add(value);
    }

    [Fact]
    public async Task In_a_large_repository_a_changed_files_old_declarations_never_return_while_the_facts_rebuild()
    {
        // Enough files that queries answer with the previous repository facts while new ones build.
        using var workspace = new TempWorkspace();
        for (int i = 0; i < 4100; i++) workspace.Write($"gen/F{i}.cs", $"namespace Big;\npublic static class F{i} {{ public static int V{i}() => {i}; }}\n");
        string pricing = workspace.Write("src/Pricing.cs", "namespace Big;\npublic static class Pricing { public static int Discount() => 1; }\n");
        using var engine = await workspace.IndexAsync();
        var (text, line, character) = TempWorkspace.Cursor("namespace Big;\nclass Use { int M() => Pricing.Discount() + |0; }\n");
        string use = workspace.Write("src/Use.cs", text);
        engine.OpenOrChange(use, text);
        Assert.Contains(engine.GetContext(use, line, character, 2048, CancellationToken.None).Items, i => i.Text.Contains("Discount()"));

        workspace.Write("src/Pricing.cs", "namespace Big;\npublic static class Pricing { public static int Rebate() => 2; }\n");
        engine.FilesChanged([pricing]);
        var items = engine.GetContext(use, line, character, 2048, CancellationToken.None).Items;

        Assert.DoesNotContain(items, i => i.Text.Contains("Discount()"));
        Assert.Contains(items, i => i.Text.Contains("Rebate()"));
    }
}

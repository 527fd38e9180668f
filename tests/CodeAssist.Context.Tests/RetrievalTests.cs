using CodeAssist.Context;

namespace CodeAssist.Context.Tests;

public sealed class RetrievalTests
{
    /// <summary>The shop, and a README of 200 lines sharing words with the checkout: lexical windows to pack.</summary>
    private static async Task<(TempWorkspace Workspace, ContextEngine Engine)> ShopWithLongReadmeAsync()
    {
        var (workspace, engine) = await Shop.CreateAsync(Shop.CheckoutWith(""));
        workspace.Write("README.md", string.Join("\n", Enumerable.Range(0, 200).Select(i => $"order line {i} checkout total")));
        engine.FilesChanged([workspace.PathOf("README.md")]);
        return (workspace, engine);
    }

    private static ContextResult Query(TempWorkspace workspace, ContextEngine engine, string relativePath, string textWithCursor, int budget = 2048)
    {
        var (text, line, character) = TempWorkspace.Cursor(textWithCursor);
        string path = workspace.PathOf(relativePath);
        engine.OpenOrChange(path, text);
        return engine.GetContext(path, line, character, budget, CancellationToken.None);
    }

    [Fact]
    public async Task Symbols_used_near_the_cursor_resolve_to_declarations_in_other_files()
    {
        string checkout = Shop.CheckoutWith("order.AddLine(\"apple\", 2);\n|");
        var (workspace, engine) = await Shop.CreateAsync(checkout.Replace("|", ""));
        using var _ = workspace;
        using var __ = engine;

        var result = Query(workspace, engine, "src/Checkout.cs", checkout);

        var addLine = Assert.Single(result.Items, i => i.Text.Contains("void AddLine(string sku, int count)"));
        Assert.Equal(workspace.PathOf("src/Order.cs"), addLine.Path);
        Assert.Contains("Adds count units of a product.", addLine.Text);
        Assert.DoesNotContain("_lines.Add", addLine.Text); // a signature, not the body
        Assert.Equal(10, addLine.Range.StartLine);
        var orderType = Assert.Single(result.Items, i => i.Kind == "type" && i.Text.Contains("class Order : Entity"));
        Assert.Equal(5, orderType.Range.StartLine);
        Assert.Equal(18, orderType.Range.EndLine); // a type's signature claims the whole type
        Assert.DoesNotContain(result.Items, i => i.Path == workspace.PathOf("src/Checkout.cs"));
    }

    /// <summary>
    /// A name in the header of a statement holding others is bound alone, not with the statement's body (which Roslyn
    /// would bind whole); it must still lead to its declaration. <c>Discount</c> is declared by eight classes, too many
    /// for the document's names to offer, and the budget holds only the few items ranked first: only binding ranks
    /// <c>Pricing.Discount(Order)</c> among them.
    /// </summary>
    [Theory]
    [InlineData("if (Pricing.Discount(order) > 0m)\n{\n    order.AddLine(\"gift\", 1);\n}")]
    [InlineData("while (Pricing.Discount(order) > 0m) order.AddLine(\"gift\", 1);")]
    [InlineData("switch (Pricing.Discount(order))\n{\n    case 1m: order.AddLine(\"gift\", 1); break;\n}")]
    [InlineData("foreach (var d in new[] { Pricing.Discount(order) }) { order.AddLine(\"gift\", 1); }")]
    [InlineData("try { order.AddLine(\"gift\", 1); } catch (System.Exception) when (Pricing.Discount(order) > 0m) { }")]
    public async Task Names_in_the_headers_of_compound_statements_lead_to_their_declarations(string statement)
    {
        // On disk as sent: the header is bound by the compiled tree's model, as text outside the user's edit is.
        var (workspace, engine) = await Shop.CreateAsync(Shop.CheckoutWith(statement + "\n"));
        using var _ = workspace;
        using var __ = engine;
        workspace.Write("src/Pricing.cs", "namespace Shop;\n\npublic static class Pricing\n{\n    public static decimal Discount(Order order) => 1m;\n}\n");
        for (int i = 0; i < 7; i++) workspace.Write($"src/Rule{i}.cs", $"namespace Shop;\n\npublic static class Rule{i}\n{{\n    public static decimal Discount(int percent) => {i}m;\n}}\n");
        engine.FilesChanged(Enumerable.Range(0, 7).Select(i => workspace.PathOf($"src/Rule{i}.cs")).Append(workspace.PathOf("src/Pricing.cs")));

        var result = Query(workspace, engine, "src/Checkout.cs", Shop.CheckoutWith(statement + "\n|"), budget: 60);

        Assert.Contains(result.Items, i => i.Kind == "member" && i.Text.Contains("decimal Discount(Order order)"));
    }

    [Theory]
    [InlineData("order.|")]
    [InlineData("order?.|")]
    [InlineData("var large = order.|\n                System.Console.WriteLine();")]
    public async Task Member_access_offers_the_receivers_members_base_members_and_extensions(string line)
    {
        string checkout = Shop.CheckoutWith(line);
        var (workspace, engine) = await Shop.CreateAsync(Shop.CheckoutWith(""));
        using var _ = workspace;
        using var __ = engine;

        var result = Query(workspace, engine, "src/Checkout.cs", checkout);

        var members = result.Items.Where(i => i.Kind == "receiverMember").Select(i => i.Text).ToList();
        Assert.Contains(members, t => t.Contains("AddLine("));
        Assert.Contains(members, t => t.Contains("decimal Total"));
        Assert.Contains(members, t => t.Contains("Guid Id { get; protected set; }"));
        Assert.Contains(members, t => t.Contains("IsLarge(this Order order)"));
        Assert.DoesNotContain(members, t => t.Contains("Touch()")); // protected: not accessible from Checkout
        Assert.DoesNotContain(members, t => t.Contains("Empty()")); // static: not through an instance
    }

    [Fact]
    public async Task Static_member_access_offers_static_members()
    {
        var (workspace, engine) = await Shop.CreateAsync(Shop.CheckoutWith(""));
        using var _ = workspace;
        using var __ = engine;

        var result = Query(workspace, engine, "src/Checkout.cs", Shop.CheckoutWith("var empty = Order.|"));

        var members = result.Items.Where(i => i.Kind == "receiverMember").Select(i => i.Text).ToList();
        Assert.Contains(members, t => t.Contains("static Order Empty()"));
        Assert.DoesNotContain(members, t => t.Contains("AddLine("));
    }

    [Fact]
    public async Task A_half_typed_member_name_ranks_the_matching_members_first()
    {
        var (workspace, engine) = await Shop.CreateAsync(Shop.CheckoutWith(""));
        using var _ = workspace;
        using var __ = engine;

        var result = Query(workspace, engine, "src/Checkout.cs", Shop.CheckoutWith("order.AddL|"));

        var first = result.Items.First(i => i.Kind == "receiverMember");
        Assert.Contains("AddLine", first.Text);
    }

    [Theory]
    [InlineData("decimal total = order.|", "decimal Total")]
    [InlineData("if (!order.|", "IsLarge(")]
    public async Task Members_of_the_expected_type_rank_first(string line, string expected)
    {
        var (workspace, engine) = await Shop.CreateAsync(Shop.CheckoutWith(""));
        using var _ = workspace;
        using var __ = engine;

        var result = Query(workspace, engine, "src/Checkout.cs", Shop.CheckoutWith(line));

        Assert.Contains(expected, result.Items.First(i => i.Kind == "receiverMember").Text);
    }

    [Fact]
    public async Task A_line_hidden_after_the_cursor_still_gets_the_types_in_scope_and_nearby_symbols()
    {
        var (workspace, engine) = await Shop.CreateAsync(Shop.CheckoutWith(""));
        using var _ = workspace;
        using var __ = engine;

        // The rest of the line is unknown; the next line uses the result.
        var result = Query(workspace, engine, "src/Checkout.cs", Shop.CheckoutWith("|\n                order.AddLine(line.Sku, line.Count);"));

        Assert.Contains(result.Items, i => i.Text.Contains("class Order : Entity"));
        Assert.Contains(result.Items, i => i.Text.Contains("AddLine("));
    }

    [Fact]
    public async Task The_enclosing_types_base_type_is_included()
    {
        var (workspace, engine) = await Shop.CreateAsync(Shop.CheckoutWith(""));
        using var _ = workspace;
        using var __ = engine;

        string special = """
            namespace Shop;

            public sealed class SpecialOrder : Entity
            {
                public void Mark()
                {
                    |
                }
            }
            """;
        var result = Query(workspace, engine, "src/SpecialOrder.cs", special);

        Assert.Contains(result.Items, i => i.Kind == "type" && i.Text.Contains("abstract class Entity"));
        Assert.Contains(result.Items, i => i.Text.Contains("Touch()"));
    }

    [Fact]
    public async Task Packing_never_exceeds_the_budget_and_reports_the_tokens_it_used()
    {
        var (workspace, engine) = await ShopWithLongReadmeAsync();
        using var _ = workspace;
        using var __ = engine;

        foreach (int budget in new[] { 1, 10, 25, 60, 200, 1000 })
        {
            var result = Query(workspace, engine, "src/Checkout.cs", Shop.CheckoutWith("order.|"), budget);
            int tokens = result.Items.Sum(i => engine.CountTokens(i.Text));
            Assert.Equal(tokens, result.Tokens);
            Assert.True(tokens <= budget, $"{tokens} tokens for a budget of {budget}");
        }

        engine.CountTokens = text => text.Split(' ').Length;
        var words = Query(workspace, engine, "src/Checkout.cs", Shop.CheckoutWith("order.|"), 30);
        Assert.True(words.Items.Sum(i => i.Text.Split(' ').Length) <= 30);
        Assert.NotEmpty(words.Items);
    }

    [Fact]
    public async Task A_tokenizer_is_asked_once_per_text_however_many_queries_pack_it()
    {
        var (workspace, engine) = await ShopWithLongReadmeAsync();
        using var _ = workspace;
        using var __ = engine;
        var asked = new List<string>();
        engine.CountTokens = text =>
        {
            lock (asked) asked.Add(text);
            return text.Split(' ').Length;
        };

        var first = Query(workspace, engine, "src/Checkout.cs", Shop.CheckoutWith("order.|"), 300);
        int askedByFirst = asked.Count;
        var second = Query(workspace, engine, "src/Checkout.cs", Shop.CheckoutWith("order.|"), 300);

        Assert.NotEmpty(first.Items);
        Assert.Contains(first.Items, i => i.Kind == "lexical");
        Assert.Equal(askedByFirst, asked.Count);
        Assert.Equal(asked.Count, asked.Distinct().Count());
        Assert.Equal(first.Items.Select(i => i.Text), second.Items.Select(i => i.Text));
        Assert.Equal(second.Items.Sum(i => i.Text.Split(' ').Length), second.Tokens);
    }

    [Fact]
    public async Task The_same_query_gives_the_same_items_in_the_same_order()
    {
        var (workspace, engine) = await Shop.CreateAsync(Shop.CheckoutWith(""));
        using var _ = workspace;
        using var __ = engine;

        var first = Query(workspace, engine, "src/Checkout.cs", Shop.CheckoutWith("order.|"), 300);
        var second = Query(workspace, engine, "src/Checkout.cs", Shop.CheckoutWith("order.|"), 300);

        Assert.NotEmpty(first.Items);
        Assert.Equal(first.Items, second.Items);
    }

    [Fact]
    public async Task Lexical_neighbours_from_non_CSharp_files_fill_the_budget()
    {
        var (workspace, engine) = await Shop.CreateAsync(Shop.CheckoutWith(""));
        using var _ = workspace;
        using var __ = engine;
        workspace.Write("docs/pricing.md", "Pricing rules\n\nThe discountPolicy applies a seasonalRebate to every checkout.\n");
        engine.FilesChanged([workspace.PathOf("docs/pricing.md")]);

        var result = Query(workspace, engine, "src/Checkout.cs", Shop.CheckoutWith("var discountPolicy = seasonalRebate;\n|"));

        var lexical = Assert.Single(result.Items, i => i.Path == workspace.PathOf("docs/pricing.md"));
        Assert.Equal("lexical", lexical.Kind);
        Assert.Contains("seasonalRebate", lexical.Text);
        Assert.Equal(0, lexical.Range.StartLine);
    }

    [Fact]
    public async Task A_document_that_is_not_CSharp_gets_lexical_neighbours()
    {
        var (workspace, engine) = await Shop.CreateAsync(Shop.CheckoutWith(""));
        using var _ = workspace;
        using var __ = engine;
        string notes = workspace.Write("docs/notes.md", "How to add lines:\ncall AddLine with a sku and a count\n");

        var result = engine.GetContext(notes, 1, 0, 512, CancellationToken.None);

        Assert.All(result.Items, i => Assert.Equal("lexical", i.Kind));
        Assert.Contains(result.Items, i => i.Path == workspace.PathOf("src/Order.cs"));
    }

    [Fact]
    public async Task Long_budgets_add_a_repository_map_of_the_most_referenced_types()
    {
        var (workspace, engine) = await Shop.CreateAsync(Shop.CheckoutWith(""));
        using var _ = workspace;
        using var __ = engine;
        // Forty catalog types nothing near the cursor uses, Catalog39 named most often.
        var files = Enumerable.Range(0, 40).Select(i => workspace.Write($"catalog/Catalog{i}.cs", $"namespace Shop;\npublic sealed class Catalog{i} {{ }}\n")).ToList();
        files.Add(workspace.Write("catalog/Uses.cs", "namespace Shop;\nclass Uses {\n" + string.Concat(Enumerable.Range(0, 40).SelectMany(i => Enumerable.Range(0, i + 1).Select(j => $"Catalog{i} c{i}_{j};\n"))) + "}\n"));
        engine.FilesChanged(files);

        var small = Query(workspace, engine, "src/Checkout.cs", Shop.CheckoutWith("|"), 2048);
        var large = Query(workspace, engine, "src/Checkout.cs", Shop.CheckoutWith("|"), 32768);

        Assert.DoesNotContain(small.Items, i => i.Kind == "repositoryMap");
        var map = large.Items.Where(i => i.Kind == "repositoryMap").ToList();
        Assert.Contains(map, i => i.Text.Contains("class Catalog20"));
        Assert.True(large.Tokens <= 32768);
    }
}

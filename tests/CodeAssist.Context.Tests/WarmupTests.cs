using CodeAssist.Context;

namespace CodeAssist.Context.Tests;

/// <summary>Opening a document warms what its first query needs, in the background; the next edit stops that. A ready index is warm.</summary>
public sealed class WarmupTests
{
    private static async Task<(TempWorkspace, ContextEngine)> CreateAsync()
    {
        var (workspace, engine) = await Shop.CreateAsync(Shop.CheckoutWith(""));
        return (workspace, engine);
    }

    [Fact]
    public async Task Opening_a_document_renders_the_types_its_declarations_name()
    {
        var (workspace, engine) = await CreateAsync();
        using var _ = workspace;
        using var __ = engine;

        engine.OpenOrChange(workspace.PathOf("src/Checkout.cs"), """
            namespace Shop;

            public sealed class Checkout : Entity
            {
                public Order Build(OrderLine line) => new();
            }
            """);
        var (warming, token) = engine.Warmup;

        Assert.Equal(3, await warming); // Entity, Order, OrderLine
        Assert.False(token.IsCancellationRequested);
    }

    /// <summary>Before it reports ready, so that neither the first answer nor the first suggestion waits for Roslyn or the JIT.</summary>
    [Fact]
    public async Task A_ready_index_has_built_its_symbols_bound_statements_answered_queries_and_checked_a_candidate()
    {
        var (workspace, unlogged) = await CreateAsync();
        using var _ = workspace;
        using var __ = unlogged;
        var log = new List<string>();
        using var engine = await workspace.IndexAsync(log: log);
        using var bodyless = await workspace.IndexAsync(log: log, bodyless: true);

        Assert.True(engine.Warmed.Symbols > 0);
        Assert.True(engine.Warmed.Statements > 0);
        Assert.True(engine.Warmed.QueryItems > 0);
        Assert.True(engine.Warmed.Checked);
        Assert.Equal(0, bodyless.Warmed.Symbols); // too large a repository to hold them all
        // No bodies to bind or whole trees to type into: a sample document's statements, queries and check instead.
        Assert.True(bodyless.Warmed.Statements > 0);
        Assert.True(bodyless.Warmed.QueryItems > 0);
        Assert.True(bodyless.Warmed.Checked);
        // Every query and the check of the warm-up bound their typed documents: none fell back to a lexical answer or to
        // syntax errors only.
        Assert.DoesNotContain(log, m => m.Contains("failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_next_edit_or_a_close_stops_the_warmup_and_edits_start_none()
    {
        var (workspace, engine) = await CreateAsync();
        using var _ = workspace;
        using var __ = engine;
        string path = workspace.PathOf("src/Checkout.cs");

        engine.OpenOrChange(path, Shop.CheckoutWith(""));
        var opened = engine.Warmup;
        engine.OpenOrChange(path, Shop.CheckoutWith("order."));
        Assert.True(opened.Token.IsCancellationRequested);
        Assert.Equal(opened, engine.Warmup); // typing in an open document warms nothing
        await opened.Task; // ends, stopped or done, without an error reaching anyone

        engine.Close(path);
        engine.OpenOrChange(path, Shop.CheckoutWith(""));
        var reopened = engine.Warmup;
        Assert.NotEqual(opened.Token, reopened.Token);
        engine.Close(path);
        Assert.True(reopened.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task The_documents_first_query_stops_its_warmup()
    {
        var (workspace, engine) = await CreateAsync();
        using var _ = workspace;
        using var __ = engine;
        string path = workspace.PathOf("src/Checkout.cs");
        var (text, line, character) = TempWorkspace.Cursor(Shop.CheckoutWith("order.|"));

        engine.OpenOrChange(path, text);
        var opened = engine.Warmup;
        engine.GetContext(path, line, character, 2048, CancellationToken.None);

        Assert.True(opened.Token.IsCancellationRequested);
        await opened.Task;
    }

    [Fact]
    public async Task Queries_answer_the_same_whether_or_not_the_warmup_has_run()
    {
        var (workspace, engine) = await CreateAsync();
        using var _ = workspace;
        using var __ = engine;
        string path = workspace.PathOf("src/Checkout.cs");
        var (text, line, character) = TempWorkspace.Cursor(Shop.CheckoutWith("order.|"));

        engine.OpenOrChange(path, text);
        var racing = engine.GetContext(path, line, character, 2048, CancellationToken.None);
        await engine.Warmup.Task;
        engine.Close(path);
        engine.OpenOrChange(path, text);
        await engine.Warmup.Task;
        var warmed = engine.GetContext(path, line, character, 2048, CancellationToken.None);

        Assert.Equal(racing.Items, warmed.Items);
    }
}

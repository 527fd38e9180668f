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
}

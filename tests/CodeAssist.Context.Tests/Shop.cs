namespace CodeAssist.Context.Tests;

/// <summary>A small repository of real C# the retrieval tests query: types, a base class, an extension.</summary>
internal static class Shop
{
    public const string Entity = """
        namespace Shop;

        public abstract class Entity
        {
            /// <summary>The identity of the entity.</summary>
            public System.Guid Id { get; protected set; }

            protected void Touch() { }
        }
        """;

    public const string Order = """
        using System.Collections.Generic;

        namespace Shop;

        /// <summary>An order of products.</summary>
        public sealed class Order : Entity
        {
            private readonly List<OrderLine> _lines = new();

            /// <summary>Adds <paramref name="count"/> units of a product.</summary>
            public void AddLine(string sku, int count)
            {
                _lines.Add(new OrderLine(sku, count));
            }

            public decimal Total => 0m;

            public static Order Empty() => new();
        }
        """;

    public const string OrderLine = """
        namespace Shop;

        public sealed record OrderLine(string Sku, int Count);
        """;

    public const string Extensions = """
        namespace Shop;

        public static class OrderExtensions
        {
            public static bool IsLarge(this Order order) => order.Total > 100m;
        }
        """;

    public static async Task<(TempWorkspace Workspace, ContextEngine Engine)> CreateAsync(string checkoutText)
    {
        var workspace = new TempWorkspace();
        workspace.Write("src/Entity.cs", Entity);
        workspace.Write("src/Order.cs", Order);
        workspace.Write("src/OrderLine.cs", OrderLine);
        workspace.Write("src/OrderExtensions.cs", Extensions);
        workspace.Write("src/Checkout.cs", checkoutText);
        var engine = await workspace.IndexAsync();
        return (workspace, engine);
    }

    public static string CheckoutWith(string body) => $$"""
        namespace Shop;

        public sealed class Checkout
        {
            public void Run()
            {
                var order = new Order();
                {{body}}
            }
        }
        """;
}

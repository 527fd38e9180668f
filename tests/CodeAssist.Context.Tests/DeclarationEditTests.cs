namespace CodeAssist.Context.Tests;

public sealed class DeclarationEditTests : IAsyncLifetime
{
    private const string Checkout = """
        namespace Shop;

        public sealed class Checkout
        {
            private int _count;
        |
            public void Run()
            {
                var order = new Order();
            }
        }
        """;

    /// <summary>Checkout with <paramref name="typed"/> where the "|" is, and where the typing ends.</summary>
    private static (string Text, int Line, int Character) Typed(string typed) => TempWorkspace.Cursor(Checkout.Replace("|", "    " + typed + "|"));

    private TempWorkspace _workspace = null!;
    private ContextEngine _engine = null!;
    private string _path = null!;

    /// <summary>The shop indexed, its checkout open as indexed.</summary>
    public async Task InitializeAsync()
    {
        (_workspace, _engine) = await Shop.CreateAsync(Checkout.Replace("|", ""));
        _path = _workspace.PathOf("src/Checkout.cs");
        _engine.OpenOrChange(_path, Typed("").Text);
    }

    public Task DisposeAsync()
    {
        _engine.Dispose();
        _workspace.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Types <paramref name="declaration"/> into the checkout one character at a time, as a client sends it.</summary>
    private void TypeOneByOne(string declaration)
    {
        for (int length = 0; length <= declaration.Length; length++) _engine.OpenOrChange(_path, Typed(declaration[..length]).Text);
    }

    [Fact]
    public void A_field_typed_one_character_at_a_time_keeps_the_compilation_and_binds_its_names()
    {
        var compilation = _engine.Snapshot.Compilation;

        const string field = "private readonly System.Collections.Generic.Dictionary<string, OrderLine> _lines = Order.";
        TypeOneByOne(field);
        var (_, line, character) = Typed(field);
        var items = _engine.GetContext(_path, line, character, 2048, CancellationToken.None).Items;

        Assert.Same(compilation, _engine.Snapshot.Compilation);
        Assert.IsType<DeclarationEdit>(_engine.Snapshot.Documents[_path].Edit);
        // The receiver in the initializer and the type argument, each bound alone in the class's scope.
        Assert.Contains(items, i => i.Kind == "receiverMember" && i.Text.Contains("static Order Empty()"));
        Assert.Contains(items, i => i.Text.Contains("record OrderLine(string Sku, int Count)"));
    }

    [Fact]
    public void A_signature_being_typed_answers_with_the_types_it_names()
    {
        var compilation = _engine.Snapshot.Compilation;

        const string signature = "public decimal Price(OrderLine line, Entity ";
        TypeOneByOne(signature);
        var (_, line, character) = Typed(signature);
        var items = _engine.GetContext(_path, line, character, 2048, CancellationToken.None).Items;

        Assert.Same(compilation, _engine.Snapshot.Compilation);
        Assert.Contains(items, i => i.Text.Contains("record OrderLine(string Sku, int Count)"));
        Assert.Contains(items, i => i.Text.Contains("abstract class Entity"));
    }

    [Theory]
    [InlineData("private Order _empty = Order.", "Empty", "Order")]
    [InlineData("private Order _empty = Order.Em", "Empty", "Order")]
    [InlineData("private Entity _entity = new ", "Order", "Entity")]
    public void In_a_declaration_being_typed_the_completion_site_names_a_receivers_members_and_the_types_new_can_create(string typed, string named, string typeName)
    {
        TypeOneByOne(typed);
        var (_, line, character) = Typed(typed);
        var site = _engine.AnalyzeCompletionSite(_path, line, character, CancellationToken.None);

        Assert.IsType<DeclarationEdit>(_engine.Snapshot.Documents[_path].Edit);
        var names = Assert.IsType<NameChoice>(site.Names);
        Assert.Contains(named, names.Names);
        Assert.Equal(typeName, names.TypeName);
    }

    [Fact]
    public void A_name_typed_in_a_body_after_a_new_field_finds_the_field()
    {
        TypeOneByOne("private Order _last;");

        // The edit now reaches a body: the document is compiled with its new field.
        var (text, line, character) = TempWorkspace.Cursor(Typed("private Order _last;").Text.Replace("|", "")
            .Replace("var order = new Order();", "var order = new Order();\n        _last.|"));
        _engine.OpenOrChange(_path, text);
        var items = _engine.GetContext(_path, line, character, 2048, CancellationToken.None).Items;

        Assert.Null(_engine.Snapshot.Documents[_path].Edit);
        Assert.Contains(items, i => i.Kind == "receiverMember" && i.Text.Contains("AddLine("));
    }

    [Fact]
    public void Editing_another_document_compiles_the_declarations_typed_before()
    {
        TypeOneByOne("public Order Last;");
        Assert.IsType<DeclarationEdit>(_engine.Snapshot.Documents[_path].Edit);

        string extensionsPath = _workspace.PathOf("src/OrderExtensions.cs");
        var (text, line, character) = TempWorkspace.Cursor(Shop.Extensions.Replace(
            "public static bool IsLarge", "public static void Repeat(this Checkout checkout)\n    {\n        checkout.Last.|\n    }\n\n    public static bool IsLarge"));
        _engine.OpenOrChange(extensionsPath, text);
        var items = _engine.GetContext(extensionsPath, line, character, 2048, CancellationToken.None).Items;

        Assert.Null(_engine.Snapshot.Documents[_path].Edit);
        Assert.Contains(items, i => i.Kind == "receiverMember" && i.Text.Contains("AddLine("));
    }
}

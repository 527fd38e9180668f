using Microsoft.CodeAnalysis.CSharp;

namespace CodeAssist.Context.Tests;

public sealed class DeclarationEditTests
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

    /// <summary>Types <paramref name="declaration"/> one character at a time, as a client sends it.</summary>
    private static void TypeOneByOne(ContextEngine engine, string path, string declaration)
    {
        for (int length = 0; length <= declaration.Length; length++) engine.OpenOrChange(path, Typed(declaration[..length]).Text);
    }

    [Fact]
    public async Task A_field_typed_one_character_at_a_time_keeps_the_compilation_and_binds_its_names()
    {
        var (workspace, engine) = await Shop.CreateAsync(Checkout.Replace("|", ""));
        using var _ = workspace;
        using var __ = engine;
        string path = workspace.PathOf("src/Checkout.cs");
        engine.OpenOrChange(path, Typed("").Text);
        var compilation = engine.Snapshot.Compilation;

        const string field = "private readonly System.Collections.Generic.Dictionary<string, OrderLine> _lines = Order.";
        TypeOneByOne(engine, path, field);
        var (_, line, character) = Typed(field);
        var items = engine.GetContext(path, line, character, 2048, CancellationToken.None).Items;

        Assert.Same(compilation, engine.Snapshot.Compilation);
        Assert.IsType<DeclarationEdit>(engine.Snapshot.Documents[path].Edit);
        // The receiver in the initializer and the type argument, each bound alone in the class's scope.
        Assert.Contains(items, i => i.Kind == "receiverMember" && i.Text.Contains("static Order Empty()"));
        Assert.Contains(items, i => i.Text.Contains("record OrderLine(string Sku, int Count)"));
    }

    [Fact]
    public async Task A_signature_being_typed_answers_with_the_types_it_names()
    {
        var (workspace, engine) = await Shop.CreateAsync(Checkout.Replace("|", ""));
        using var _ = workspace;
        using var __ = engine;
        string path = workspace.PathOf("src/Checkout.cs");
        engine.OpenOrChange(path, Typed("").Text);
        var compilation = engine.Snapshot.Compilation;

        const string signature = "public decimal Price(OrderLine line, Entity ";
        TypeOneByOne(engine, path, signature);
        var (_, line, character) = Typed(signature);
        var items = engine.GetContext(path, line, character, 2048, CancellationToken.None).Items;

        Assert.Same(compilation, engine.Snapshot.Compilation);
        Assert.Contains(items, i => i.Text.Contains("record OrderLine(string Sku, int Count)"));
        Assert.Contains(items, i => i.Text.Contains("abstract class Entity"));
    }

    [Theory]
    [InlineData("private Order _empty = Order.", "Empty", "Order")]
    [InlineData("private Order _empty = Order.Em", "Empty", "Order")]
    [InlineData("private Entity _entity = new ", "Order", "Entity")]
    public async Task In_a_declaration_being_typed_the_completion_site_names_a_receivers_members_and_the_types_new_can_create(string typed, string named, string typeName)
    {
        var (workspace, engine) = await Shop.CreateAsync(Checkout.Replace("|", ""));
        using var _ = workspace;
        using var __ = engine;
        string path = workspace.PathOf("src/Checkout.cs");
        engine.OpenOrChange(path, Typed("").Text);

        TypeOneByOne(engine, path, typed);
        var (_, line, character) = Typed(typed);
        var site = engine.AnalyzeCompletionSite(path, line, character, CancellationToken.None);

        Assert.IsType<DeclarationEdit>(engine.Snapshot.Documents[path].Edit);
        var names = Assert.IsType<NameChoice>(site.Names);
        Assert.Contains(named, names.Names);
        Assert.Equal(typeName, names.TypeName);
    }

    [Fact]
    public async Task A_name_typed_in_a_body_after_a_new_field_finds_the_field()
    {
        var (workspace, engine) = await Shop.CreateAsync(Checkout.Replace("|", ""));
        using var _ = workspace;
        using var __ = engine;
        string path = workspace.PathOf("src/Checkout.cs");
        engine.OpenOrChange(path, Typed("").Text);
        TypeOneByOne(engine, path, "private Order _last;");

        // The edit now reaches a body: the document is compiled with its new field.
        var (text, line, character) = TempWorkspace.Cursor(Typed("private Order _last;").Text.Replace("|", "")
            .Replace("var order = new Order();", "var order = new Order();\n        _last.|"));
        engine.OpenOrChange(path, text);
        var items = engine.GetContext(path, line, character, 2048, CancellationToken.None).Items;

        Assert.Null(engine.Snapshot.Documents[path].Edit);
        Assert.Contains(items, i => i.Kind == "receiverMember" && i.Text.Contains("AddLine("));
    }

    [Fact]
    public async Task Editing_another_document_compiles_the_declarations_typed_before()
    {
        var (workspace, engine) = await Shop.CreateAsync(Checkout.Replace("|", ""));
        using var _ = workspace;
        using var __ = engine;
        string path = workspace.PathOf("src/Checkout.cs");
        engine.OpenOrChange(path, Typed("").Text);
        TypeOneByOne(engine, path, "public Order Last;");
        Assert.IsType<DeclarationEdit>(engine.Snapshot.Documents[path].Edit);

        string extensionsPath = workspace.PathOf("src/OrderExtensions.cs");
        var (text, line, character) = TempWorkspace.Cursor(Shop.Extensions.Replace(
            "public static bool IsLarge", "public static void Repeat(this Checkout checkout)\n    {\n        checkout.Last.|\n    }\n\n    public static bool IsLarge"));
        engine.OpenOrChange(extensionsPath, text);
        var items = engine.GetContext(extensionsPath, line, character, 2048, CancellationToken.None).Items;

        Assert.Null(engine.Snapshot.Documents[path].Edit);
        Assert.Contains(items, i => i.Kind == "receiverMember" && i.Text.Contains("AddLine("));
    }

    public static TheoryData<string, string, string?> Edits => new()
    {
        // compiled text, edited text, the edit found: "declaration", "body" or null (the edited tree is compiled)
        { "class C\n{\n    int a;\n}", "class C\n{\n    int a;\n    private string b = \"x\";\n}", "declaration" },
        { "class C\n{\n    int a;\n    void M() { }\n}", "class C\n{\n    int a;\n    public void N(int x\n    void M() { }\n}", "declaration" },
        { "class C\n{\n    int a;\n}", "class C\n{\n    int a;\n    [Obsolete(\"no\")] int P => a + 1;\n}", "declaration" },
        { "class C\n{\n    int a;\n\n\n    int b;\n}", "class C\n{\n    int a;\n    int b;\n}", "declaration" },
        { "class C\n{\n    void M() { }\n}", "class C\n{\n    void M() { int x; }\n}", "body" },
        { "class C\n{\n    int a;\n}", "class C\n{\n    int a;\n    void N() { }\n}", null },
        { "class C\n{\n    int a;\n}", "class C\n{\n    int a;\n    class D { }\n}", null },
        { "class C\n{\n    int a;\n    void M() { }\n}", "class C\n{\n    int a;\n}", null },
        // Added to a member the compiled tree has: a prefix of the client's text, which it may be typing.
        { "class C\n{\n    [Obsolete] int a;\n}", "class C\n{\n    [Obsolete, Serializable] int a;\n}", "declaration" },
        { "class C\n{\n    int P => 1;\n}", "class C\n{\n    int P => 1 + 2;\n}", "declaration" },
        { "class C\n{\n    void M(int a) { }\n}", "class C\n{\n    void M(int a, Order b) { }\n}", "declaration" },
        // Removed or replaced in a member the compiled tree has: its symbol would answer for text the client no longer has.
        { "class C\n{\n    [Obsolete(\"no\")] int a;\n}", "class C\n{\n    [Obsolete] int a;\n}", null },
        { "class C\n{\n    void M(Order a) { }\n}", "class C\n{\n    void M(Entity a) { }\n}", null },
        { "class C\n{\n    private void Init(TestResult result)\n    {\n    }\n}", "class C\n{\n    \n    {\n    }\n}", null },
        { "class C\n{\n    int a;\n}", "using System;\nclass C\n{\n    int a;\n}", null },
        { "class C\n{\n    int a;\n}", "class C : System.IDisposable\n{\n    int a;\n}", null },
        { "enum E\n{\n    A,\n}", "enum E\n{\n    A,\n    B,\n}", null },
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public void An_edit_is_pending_inside_one_body_or_among_one_types_declarations_outside_bodies(string compiledText, string editedText, string? found)
    {
        var compiled = CSharpSyntaxTree.ParseText(compiledText);
        var edited = CSharpSyntaxTree.ParseText(editedText);

        var edit = PendingEdit.Find(compiled, edited, CancellationToken.None);

        Assert.Equal(found, edit switch { DeclarationEdit => "declaration", BodyEdit => "body", _ => null });
    }
}

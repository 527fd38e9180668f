using Microsoft.CodeAnalysis.CSharp;

namespace CodeAssist.Context.Tests;

public sealed class PendingEditTests
{
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

using CodeAssist.Context;

namespace CodeAssist.Context.Tests;

/// <summary>
/// An edit inside every kind of body Roslyn binds: the first version of the document is compiled, the edited one is
/// bound speculatively where Roslyn can and against a tree with the edit where it cannot (it throws inside
/// TryGetSpeculativeSemanticModelForMethodBody for some expression bodies). Every query must answer, and the member
/// access at the cursor must still resolve.
/// </summary>
public sealed class BodyKindTests
{
    // Each shape: the document before the edit, with "|" where "order." is typed.
    // Each shape: a member of the document before the edit, with "|" where "s_order." is typed. An identifier follows
    // the cursor, as when typing in the middle of a line, so the access parses as s_order.name.
    public static TheoryData<string, string> Shapes => new()
    {
        { "expression-bodied method with a switch", "public int Kind(int x) => x switch { 0 => 1, _ => |x };" },
        { "expression-bodied method", "public decimal Sum(Order order) => |order.Total;" },
        { "expression-bodied property", "public int Count => |Count;" },
        { "get accessor", "public int Count { get { return |Count; } }" },
        { "expression-bodied get accessor", "public int Count { get => |Count; }" },
        { "set accessor", "private int _count; public int Count { get => _count; set { _count = |value; } }" },
        { "operator", "public static Checkout operator +(Checkout a, Checkout b) => |a;" },
        { "conversion operator", "public static explicit operator int(Checkout c) { return |c; }" },
        { "constructor", "private int _n; public Checkout(int n) { _n = |n; }" },
        { "expression-bodied constructor", "private int _n; public Checkout(int n) => _n = |n;" },
        { "local function", "public void Run() { int Local(int n) => |n; }" },
        { "lambda in a field initialiser", "private static readonly System.Func<int, int> s_twice = x => |x * 2;" },
        { "switch expression in a lambda", "private static readonly System.Func<int, int> s_kind = x => x switch { 0 => |x, _ => 2 };" },
        { "destructor", "private int _n; ~Checkout() { _n = |_n; }" },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task An_edit_inside_the_body_answers_with_the_receivers_members(string shape, string member)
    {
        Assert.NotEmpty(shape);
        string before = Document(member.Replace("|", ""));
        var (workspace, engine) = await Shop.CreateAsync(before);
        using var _ = workspace;
        using var __ = engine;
        string path = workspace.PathOf("src/Checkout.cs");
        engine.OpenOrChange(path, before);

        // The edit declares nothing new, so the receiver is the field every shape can see.
        var (edited, line, character) = TempWorkspace.Cursor(Document(member.Replace("|", "s_order.|")));
        engine.OpenOrChange(path, edited);
        var items = engine.GetContext(path, line, character, 2048, CancellationToken.None).Items;

        Assert.Contains(items, i => i.Kind == "receiverMember" && i.Text.Contains("AddLine("));
    }

    private static string Document(string member) => $$"""
        namespace Shop;

        public sealed class Checkout
        {
            private static readonly Order s_order = new Order();

            {{member}}
        }
        """;
}

using CodeAssist.Context;

namespace CodeAssist.Context.Tests;

/// <summary>Retrieval for a question: named symbols first and whole, their uses, the selection's neighbourhood, prose words, the budget, secrets.</summary>
public sealed class QuestionContextTests
{
    private const string Lending = """
        namespace Shop;

        public sealed class Lending
        {
            /// <summary>Finds the loans whose due date has passed.</summary>
            public System.Collections.Generic.List<Order> OverdueOrders(System.DateTime today)
            {
                var late = new System.Collections.Generic.List<Order>();
                return late;
            }
        }
        """;

    private static async Task<(TempWorkspace Workspace, ContextEngine Engine)> CreateAsync()
    {
        var (workspace, engine) = await Shop.CreateAsync(Shop.CheckoutWith("order.AddLine(\"apple\", 2);\n        var large = order.IsLarge();"));
        engine.Dispose();
        workspace.Write("src/Lending.cs", Lending);
        workspace.Write("docs/notes.md", "# Notes\n\nThe overdue report lists every late loan by member.\n");
        return (workspace, await workspace.IndexAsync());
    }

    private static QuestionContext Ask(ContextEngine engine, string question, int budget = 4096) =>
        engine.GetQuestionContext(new Question { Text = question }, budget, CancellationToken.None);

    [Fact]
    public async Task A_named_symbol_comes_first_whole_with_its_body_and_why()
    {
        var (workspace, engine) = await CreateAsync();
        using var _ = workspace;
        using var __ = engine;

        var context = Ask(engine, "What does Order.AddLine do?");

        var first = context.Items[0];
        Assert.Equal("named", first.Kind);
        Assert.Equal(workspace.PathOf("src/Order.cs"), first.Path);
        Assert.Contains("_lines.Add(new OrderLine(sku, count));", first.Text); // the body, not only the signature
        Assert.Contains("/// <summary>Adds", first.Text); // with its doc comment
        Assert.Equal(9, first.Range.StartLine); // the doc comment's line, 0-based
        Assert.Equal("declares Order.AddLine, named in the question", first.Reason);
    }

    [Fact]
    public async Task A_where_question_brings_the_uses_bound_by_Roslyn_right_after_the_declaration()
    {
        var (workspace, engine) = await CreateAsync();
        using var _ = workspace;
        using var __ = engine;

        var context = Ask(engine, "Where is IsLarge used?");

        Assert.Equal("named", context.Items[0].Kind);
        var use = context.Items[1];
        Assert.Equal("usage", use.Kind);
        Assert.Equal(workspace.PathOf("src/Checkout.cs"), use.Path);
        Assert.Contains("order.IsLarge()", use.Text);
        Assert.Contains("public void Run()", use.Text); // under the signature of the member it is in
        Assert.Equal("Checkout.Run uses IsLarge", use.Reason);
    }

    [Fact]
    public async Task Words_written_apart_and_in_lower_case_find_the_declaration_they_spell()
    {
        var (workspace, engine) = await CreateAsync();
        using var _ = workspace;
        using var __ = engine;

        var context = Ask(engine, "how do the overdue orders get computed?");

        Assert.Equal("named", context.Items[0].Kind);
        Assert.Contains("OverdueOrders(System.DateTime today)", context.Items[0].Text);
    }

    [Fact]
    public async Task Prose_words_reach_identifiers_that_contain_them_and_text_files()
    {
        var (workspace, engine) = await CreateAsync();
        using var _ = workspace;
        using var __ = engine;

        var context = engine.GetQuestionContext(new Question { Text = "which report lists late loans?", LexicalOnly = true }, 4096, CancellationToken.None);

        Assert.All(context.Items, i => Assert.Equal("lexical", i.Kind));
        var notes = Assert.Single(context.Items, i => i.Path == workspace.PathOf("docs/notes.md"));
        Assert.StartsWith("mentions ", notes.Reason);
        Assert.Contains(context.Items, i => i.Path == workspace.PathOf("src/Lending.cs")); // "loans" in its doc comment, "late" a local
    }

    [Fact]
    public async Task The_selection_brings_what_it_uses_from_other_files_but_never_itself()
    {
        var (workspace, engine) = await CreateAsync();
        using var _ = workspace;
        using var __ = engine;
        string path = workspace.PathOf("src/Checkout.cs");
        string text = File.ReadAllText(path);
        int start = text.IndexOf("order.AddLine", StringComparison.Ordinal);
        int end = text.IndexOf("order.IsLarge();", StringComparison.Ordinal) + "order.IsLarge();".Length;

        var context = engine.GetQuestionContext(new Question { Text = "", Path = path, SelectionStart = start, SelectionEnd = end }, 4096, CancellationToken.None);

        var selection = context.Items.Where(i => i.Kind == "selection").ToArray();
        Assert.Contains(selection, i => i.Text.Contains("void AddLine(string sku, int count)") && i.Reason == "Order.AddLine: used in the selection");
        Assert.Contains(selection, i => i.Text.Contains("IsLarge(this Order order)"));
        Assert.Contains(selection, i => i.Reason == "Checkout.Run: encloses the selection");
        Assert.DoesNotContain(context.Items, i => i.Path == path && i.Range.StartLine <= 7 && i.Range.EndLine >= 7 && i.Kind != "selection");
    }

    [Fact]
    public async Task Items_stay_within_the_budget_and_a_bare_budget_gets_nothing()
    {
        var (workspace, engine) = await CreateAsync();
        using var _ = workspace;
        using var __ = engine;

        var small = Ask(engine, "What does Order.AddLine do and where are overdue loans?", 60);
        var none = Ask(engine, "What does Order.AddLine do?", 0);

        Assert.True(small.Tokens <= 60);
        Assert.Equal(small.Tokens, small.Items.Sum(i => engine.CountTokens(i.Text)));
        Assert.Empty(none.Items);
    }

    [Fact]
    public async Task Secret_looking_files_never_answer_a_question_even_word_for_word()
    {
        var (workspace, engine) = await CreateAsync();
        using var _ = workspace;
        engine.Dispose();
        workspace.Write(".env", "STRIPE_SECRET=sk_live_plantedvalue\n");
        workspace.Write("config/secrets.json", "{ \"StripeSecret\": \"sk_live_plantedvalue\" }\n");
        workspace.Write("deploy/server.pem", "-----BEGIN RSA PRIVATE KEY-----\nplantedvalue\n-----END RSA PRIVATE KEY-----\n");
        workspace.Write("deploy/notes.txt", "plantedvalue\n-----BEGIN PRIVATE KEY-----\nMIIEplanted\n-----END PRIVATE KEY-----\n");
        using var secrets = await workspace.IndexAsync();

        var context = Ask(secrets, "What is STRIPE_SECRET, StripeSecret or plantedvalue, sk_live_plantedvalue?");

        Assert.DoesNotContain(context.Items, i => i.Text.Contains("planted", StringComparison.Ordinal));
        Assert.Equal("looks like a secret", secrets.PromptRefusal(workspace.PathOf(".env")));
        Assert.Equal("looks like a secret", secrets.PromptRefusal(workspace.PathOf("config/secrets.json")));
        Assert.Equal("looks like a secret", secrets.PromptRefusal(workspace.PathOf("deploy/server.pem")));
        Assert.Null(secrets.PromptRefusal(workspace.PathOf("src/Order.cs")));
        Assert.Equal("outside the workspace folders", secrets.PromptRefusal("/elsewhere/Order.cs"));
    }

    [Fact]
    public async Task An_open_document_with_a_private_key_and_ignored_or_excluded_files_are_refused()
    {
        using var workspace = new TempWorkspace();
        workspace.Write(".gitignore", "generated/\n");
        workspace.Write("generated/Api.cs", "class Api { }");
        workspace.Write("src/Skip.cs", "class Skip { }");
        workspace.Write("src/A.cs", "class A { }");
        using var engine = await workspace.IndexAsync(excludeGlobs: ["src/Skip.cs"]);
        engine.OpenOrChange(workspace.PathOf("src/A.cs"), "// -----BEGIN OPENSSH PRIVATE KEY-----\n// b3Bl\n// -----END OPENSSH PRIVATE KEY-----\nclass A { }");

        Assert.Equal("ignored by .gitignore", engine.PromptRefusal(workspace.PathOf("generated/Api.cs")));
        Assert.Equal("excluded by a glob", engine.PromptRefusal(workspace.PathOf("src/Skip.cs")));
        Assert.Equal("contains a private key", engine.PromptRefusal(workspace.PathOf("src/A.cs")));
    }

    [Fact]
    public async Task A_question_about_a_document_not_in_the_workspace_is_refused_with_the_reason()
    {
        var (workspace, engine) = await CreateAsync();
        using var _ = workspace;
        using var __ = engine;

        var refused = Assert.Throws<ContextException>(() =>
            engine.GetQuestionContext(new Question { Text = "why?", Path = "/elsewhere/Other.cs", SelectionStart = 0, SelectionEnd = 0 }, 100, CancellationToken.None));
        Assert.Contains("outside the workspace folders", refused.Message);
    }
}

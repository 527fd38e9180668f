using System.Collections.Immutable;
using CodeAssist.Context;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CodeAssist.Context.Tests;

public sealed class CodeCheckTests
{
    /// <summary>Opens <c>src/Reader.cs</c> with the text ("|" marks the cursor) and checks the candidates there.</summary>
    private static Task<IReadOnlyList<InsertionCheck>> CheckAsync(string textWithCursor, params string[] candidates) =>
        CheckAfterTypingAsync(null, textWithCursor, candidates);

    /// <summary>Opens <c>src/Reader.cs</c> with <paramref name="opened"/> (when given), types it into the text with the
    /// cursor ("|"), and checks the candidates there.</summary>
    private static async Task<IReadOnlyList<InsertionCheck>> CheckAfterTypingAsync(string? opened, string textWithCursor, params string[] candidates)
    {
        var (text, line, character) = TempWorkspace.Cursor(textWithCursor);
        var (workspace, engine) = await Library.CreateAsync(Library.Reader(""));
        using var _ = workspace;
        using var __ = engine;
        string path = workspace.PathOf("src/Reader.cs");
        if (opened is not null) engine.OpenOrChange(path, opened);
        engine.OpenOrChange(path, text);
        return engine.CheckInsertions(path, line, character, candidates, CancellationToken.None);
    }

    private static string[] Ids(IReadOnlyList<CodeDiagnostic> diagnostics) => diagnostics.Select(d => d.Id).ToArray();

    [Fact]
    public async Task A_candidate_naming_a_missing_member_introduces_CS1061_and_one_that_compiles_nothing()
    {
        var checks = await CheckAsync(Library.Reader("var t = book.|"), "Title;", "Titel;");

        Assert.Empty(checks[0].Diagnostics);
        Assert.Null(checks[0].Repair);
        var missing = Assert.Single(checks[1].Diagnostics);
        Assert.Equal("CS1061", missing.Id);
        Assert.True(missing.IsError);
        Assert.Contains("'Titel'", missing.Message);
        // The span is in the document with the candidate inserted: line 9, "        var t = book." is 21 characters.
        Assert.Equal(new SourceSpan(9, 21, 9, 26), missing.Span);
    }

    [Fact]
    public async Task A_name_is_missing_only_when_the_candidate_wrote_it_not_when_the_code_after_the_cursor_calls_it()
    {
        var checks = await CheckAsync(Library.Reader("var t = book.|\n            .ToUpper();"), "IsBorrowed", "Title", "Titel");

        // IsBorrowed is a member; the bool it returns has no ToUpper, an error the candidate causes but a name it did not write.
        Assert.False(checks[0].NamesMissing);
        Assert.Equal(["CS1061"], Ids(checks[0].Diagnostics));
        Assert.Contains("'ToUpper'", checks[0].Diagnostics[0].Message);
        Assert.False(checks[1].NamesMissing);
        Assert.Empty(checks[1].Diagnostics);
        Assert.True(checks[2].NamesMissing);
        Assert.False(checks[2].Repair!.NamesMissing);
    }

    [Fact]
    public async Task A_misspelt_member_is_repaired_to_the_close_accessible_one()
    {
        var checks = await CheckAsync(Library.Reader("var t = book.|"), "Titel;", "Auhtor.Length;", "IsBorowed ? 1 : 0;", "Zebra;");

        Assert.Equal("Title;", checks[0].Repair?.Text);
        Assert.Empty(checks[0].Repair!.Diagnostics);
        Assert.Equal([new NameReplacement("Titel", "Title")], checks[0].Repair!.Replacements);
        Assert.Equal("Author.Length;", checks[1].Repair?.Text);
        Assert.Equal("IsBorrowed ? 1 : 0;", checks[2].Repair?.Text);
        Assert.Null(checks[3].Repair); // nothing close: left as it is, ranked by its diagnostic
        Assert.Equal(["CS1061"], Ids(checks[3].Diagnostics));
    }

    [Fact]
    public async Task A_repair_is_tried_only_when_it_can_rid_the_candidate_of_every_missing_name()
    {
        var checks = await CheckAsync(Library.Reader("var t = book.|"),
            "Titel + book.Auhtor + book.Titel + book.Auhtor;", "Zqxv + book.Titel;", "Titel + book.Auhtor;");

        Assert.Null(checks[0].Repair); // four missing names, more than a repair replaces
        Assert.Null(checks[1].Repair); // nothing is close to the first, so the candidate stays rejected whatever follows
        Assert.Equal("Title + book.Author;", checks[2].Repair?.Text);
        Assert.Empty(checks[2].Repair!.Diagnostics);
    }

    [Fact]
    public async Task A_candidate_the_parser_cannot_read_as_code_is_not_bound_but_a_partial_line_is()
    {
        var checks = await CheckAsync(Library.Reader("var t = book.|"), "Titel Zqxv Wvut;", "Titel.Substring(0", "Title;", "((;");

        Assert.True(checks[0].Unparsable);
        Assert.Contains(checks[0].Diagnostics, d => d.Id == "CS1002");
        Assert.DoesNotContain(checks[0].Diagnostics, d => d.Id == "CS1061"); // not bound
        // What stands for it: the part before the first error, checked (a cut is not repaired as well).
        Assert.Equal("Titel", checks[0].Repair?.Text);
        Assert.Empty(checks[0].Repair!.Replacements);
        Assert.Equal(["CS1061"], Ids(checks[0].Repair!.Diagnostics));
        // Its missing ")" and ";" are where it meets the rest of the document: unfinished, not unparsable.
        Assert.False(checks[1].Unparsable);
        Assert.Equal("Title.Substring(0", checks[1].Repair?.Text);
        Assert.False(checks[2].Unparsable);
        Assert.True(checks[3].Unparsable);
        Assert.Null(checks[3].Repair); // nothing before its first error
    }

    [Fact]
    public async Task A_repair_keeps_what_was_typed_before_the_cursor()
    {
        var checks = await CheckAsync(Library.Reader("var t = book.Ti|"), "tel;", "lte;");

        Assert.Equal("tle;", checks[0].Repair?.Text);
        Assert.Equal([new NameReplacement("Titel", "Title")], checks[0].Repair!.Replacements);
        Assert.Equal("tle;", checks[1].Repair?.Text);
    }

    [Fact]
    public async Task A_misspelt_type_after_new_is_repaired()
    {
        var checks = await CheckAsync(Library.Reader("Media m = new |"), "Novle();", "Atlas();");

        Assert.Equal(["CS0246"], Ids(checks[0].Diagnostics));
        Assert.Equal("Novel();", checks[0].Repair?.Text);
        Assert.Empty(checks[0].Repair!.Diagnostics);
        Assert.Empty(checks[1].Diagnostics);
    }

    [Fact]
    public async Task Extension_methods_in_scope_exist_and_a_misspelt_one_is_repaired()
    {
        var checks = await CheckAsync(Library.Reader("var d = book.|"), "Describe();", "Descibe();");

        Assert.Empty(checks[0].Diagnostics);
        Assert.Equal("Describe();", checks[1].Repair?.Text);
    }

    [Fact]
    public async Task Unknown_names_in_scope_and_calls_no_overload_takes_are_repaired_when_a_close_name_fits()
    {
        var checks = await CheckAsync(Library.Reader("|"), "var n = boook.Title;", "book.Borow();", "shelf.Ad(book);");

        Assert.Equal(["CS0103"], Ids(checks[0].Diagnostics));
        Assert.Equal("var n = book.Title;", checks[0].Repair?.Text);
        Assert.Equal("book.Borrow();", checks[1].Repair?.Text);
        Assert.Equal("shelf.Add(book);", checks[2].Repair?.Text);
    }

    [Fact]
    public async Task A_candidate_that_only_closes_a_brace_is_checked_by_the_parser()
    {
        // The class's closing brace is missing: the document itself has "} expected".
        string document = "namespace Library;\n\npublic sealed class Reader\n{\n    public void Read()\n    {\n        var a = 1;\n    }\n|";

        var checks = await CheckAsync(document, "}", "}\n}");

        Assert.Empty(checks[0].Diagnostics);
        Assert.NotEmpty(checks[1].Diagnostics);
        Assert.All(checks[1].Diagnostics, d => Assert.True(d.Span.StartLine >= 8));
    }

    [Fact]
    public async Task The_documents_own_errors_do_not_count_against_a_candidate()
    {
        string body = "int wrong = \"text\";\n        missing();\n        var t = book.|\n        var after = alsoMissing;";

        var checks = await CheckAsync(Library.Reader(body), "Title;", "Author", "Titel;");

        Assert.Empty(checks[0].Diagnostics);
        Assert.Empty(checks[1].Diagnostics); // the ";" the document lacks stays the document's
        Assert.Equal(["CS1061"], Ids(checks[2].Diagnostics));
    }

    [Fact]
    public async Task An_insertion_outside_any_body_is_checked_by_compiling()
    {
        string document = Library.Book.Replace("    public static Book Create", "    |\n\n    public static Book Create");

        var (text, line, character) = TempWorkspace.Cursor(document);
        var (workspace, engine) = await Library.CreateAsync(Library.Reader(""));
        using var _ = workspace;
        using var __ = engine;
        string path = workspace.PathOf("src/Models/Book.cs");
        engine.OpenOrChange(path, text);
        var checks = engine.CheckInsertions(path, line, character, ["public int Length => Title.Length;", "public int Length => Titel.Length;"], CancellationToken.None);

        Assert.Empty(checks[0].Diagnostics);
        Assert.Equal(["CS0103"], Ids(checks[1].Diagnostics));
        Assert.Equal("public int Length => Title.Length;", checks[1].Repair?.Text);
    }

    [Fact]
    public async Task A_candidate_inside_a_body_being_edited_is_bound_against_the_compiled_tree()
    {
        // Typed since: a local the candidates use, and a half-typed member access.
        var checks = await CheckAfterTypingAsync(Library.Reader("var a = 1;"),
            Library.Reader("var a = 1;\n        var title = book.Title;\n        var n = title.|"), "Length;", "Lenght;");

        Assert.Empty(checks[0].Diagnostics);
        Assert.Equal(["CS1061"], Ids(checks[1].Diagnostics));
        Assert.Equal("Length;", checks[1].Repair?.Text);
    }

    [Fact]
    public async Task A_candidate_in_lines_typed_inside_a_lambdas_block_is_bound_with_the_lambdas_parameter_and_the_typed_locals()
    {
        const string lambda = "Func<Book, int> size = b =>\n        {\n            return 0;\n        };";
        // Two statements typed since, in the lambda's block: only that block holds the edit.
        var checks = await CheckAfterTypingAsync(Library.Reader(lambda),
            Library.Reader(lambda.Replace("return 0;", "var title = b.Title;\n            var n = title.|\n            return 0;")), "Length;", "Lenght;");

        Assert.Empty(checks[0].Diagnostics);
        Assert.Equal(["CS1061"], Ids(checks[1].Diagnostics));
        Assert.Equal("Length;", checks[1].Repair?.Text);
    }

    /// <summary>Each candidate, inserted on an empty line of the body, and the errors the compiler itself reports for it.</summary>
    public static TheoryData<string, string[]> Candidates => new()
    {
        { "var a = book.Title;", [] },
        { "var a = book.Titel;", ["CS1061"] },
        { "var a = book?.Titel;", ["CS1061"] },
        { "var a = book.Describe().Lenght;", ["CS1061"] },
        { "var a = Book.Titel;", ["CS0117"] },
        { "var g = Genre.Fictoin;", ["CS0117"] },
        { "var b = new Book { Titel = \"x\" };", ["CS0117"] },
        { "var a = missing;", ["CS0103"] },
        { "var a = new Novle();", ["CS0246"] },
        { "var a = Library.Modls.Book.Create(\"x\");", ["CS0234"] },
        { "book.Borrow(\"a\", \"b\");", ["CS1501"] },
        { "shelf.Add();", ["CS7036"] },
        { "shelf.Add(1);", ["CS1503"] },
        { "var s = new Shelf(1);", ["CS1729"] },
        { "int n = book.Title;", ["CS0029"] },
        { "int n = 1L;", ["CS0266"] },
        { "book.Title();", ["CS1955"] },
        { "var a = book.Create(\"x\");", ["CS0176"] },
        { "foreach (var c in book.Title) { var u = char.ToUpper(c); }", [] },
        { "var names = new System.Collections.Generic.List<string> { book.Title }; names.Ad(book.Author);", ["CS1061"] },
    };

    [Theory]
    [MemberData(nameof(Candidates))]
    public async Task A_candidate_introduces_the_errors_the_compiler_reports(string candidate, string[] expected)
    {
        var checks = await CheckAsync(Library.Reader("|"), candidate);

        Assert.Equal(expected, CompilerErrors(Library.Reader(candidate)).Except(CompilerErrors(Library.Reader(""))).ToArray());
        Assert.Equal(expected, Ids(checks[0].Diagnostics));
    }

    /// <summary>The error ids the compiler reports for the library with this reader, the oracle the check is held to.</summary>
    private static string[] CompilerErrors(string reader)
    {
        var options = new CSharpParseOptions(LanguageVersion.Preview);
        var trees = new[] { Library.Book, Library.BookLoans, Library.Extensions, Library.Genre, Library.Media, reader }
            .Select(text => CSharpSyntaxTree.ParseText(text, options));
        var compilation = CSharpCompilation.Create("Oracle", trees, s_references.Value, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        return compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).Order(StringComparer.Ordinal).ToArray();
    }

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(() =>
    [
        .. Directory.EnumerateFiles(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "System*.dll")
            .Where(f => !f.Contains("Native", StringComparison.Ordinal))
            .Select(f => (MetadataReference)MetadataReference.CreateFromFile(f)),
    ]);

    [Fact]
    public async Task Documents_other_than_CSharp_have_no_diagnostics()
    {
        var (workspace, engine) = await Library.CreateAsync(Library.Reader(""));
        using var _ = workspace;
        using var __ = engine;
        string path = workspace.Write("notes/plan.py", "def read(book):\n    return book.\n");
        engine.OpenOrChange(path, "def read(book):\n    return book.\n");

        var checks = engine.CheckInsertions(path, 1, 16, ["titel", "))))"], CancellationToken.None);

        Assert.All(checks, c => Assert.Empty(c.Diagnostics));
        Assert.All(checks, c => Assert.Null(c.Repair));
        Assert.Equal(["titel", "))))"], checks.Select(c => c.Text));
    }

    [Fact]
    public async Task Cancellation_stops_the_check()
    {
        var (text, line, character) = TempWorkspace.Cursor(Library.Reader("var t = book.|"));
        var (workspace, engine) = await Library.CreateAsync(text);
        using var _ = workspace;
        using var __ = engine;
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            engine.CheckInsertions(workspace.PathOf("src/Reader.cs"), line, character, ["Title;", "Titel;"], cancelled.Token));
    }

    [Fact]
    public async Task Empty_candidates_and_unparseable_documents_answer()
    {
        var checks = await CheckAsync("}}} ((( class [[ book.| \"\n#endif ) {{ /* ", "", "Title", "}");

        Assert.Empty(checks[0].Diagnostics);
        Assert.Equal(3, checks.Count);
    }
}

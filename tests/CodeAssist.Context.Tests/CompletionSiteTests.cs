using System.Text;
using CodeAssist.Context;

namespace CodeAssist.Context.Tests;

public sealed class CompletionSiteTests
{
    /// <summary>Opens <c>src/Reader.cs</c> with the text (a "|" marks the cursor) and reads the site there.</summary>
    private static async Task<CompletionSite> SiteAsync(string textWithCursor, string relativePath = "src/Reader.cs")
    {
        var (text, line, character) = TempWorkspace.Cursor(textWithCursor);
        var (workspace, engine) = await Library.CreateAsync(Library.Reader(""));
        using var _ = workspace;
        using var __ = engine;
        string path = workspace.PathOf(relativePath);
        engine.OpenOrChange(path, text);
        return engine.AnalyzeCompletionSite(path, line, character, CancellationToken.None);
    }

    private static Task<CompletionSite> InBodyAsync(string body) => SiteAsync(Library.Reader(body));

    public static TheoryData<string, SitePlace, StringKind> Places => new()
    {
        { "// a note |", SitePlace.Comment, StringKind.None },
        { "/* not closed |", SitePlace.Comment, StringKind.None },
        { "/* closed */|", SitePlace.Code, StringKind.None },
        { "/// <summary>Reads |", SitePlace.Comment, StringKind.None },
        { "var s = \"abc|\";", SitePlace.String, StringKind.Regular },
        { "var s = \"abc|", SitePlace.String, StringKind.Regular },
        { "var s = \"abc\"|;", SitePlace.Code, StringKind.None },
        { "var s = @\"abc|\";", SitePlace.String, StringKind.Verbatim },
        { "var s = $\"a {book.|} b\";", SitePlace.Code, StringKind.None },
        { "var s = $\"a |{book.Title}\";", SitePlace.String, StringKind.Interpolated },
        { "var s = $\"{book.Title}|\";", SitePlace.String, StringKind.Interpolated },
        { "var s = $\"|\";", SitePlace.String, StringKind.Interpolated },
        { "var s = $@\"a |\";", SitePlace.String, StringKind.InterpolatedVerbatim },
        { "var s = \"\"\"raw |\"\"\";", SitePlace.String, StringKind.Raw },
        { "var s = $\"\"\"raw {book.Title} |\"\"\";", SitePlace.String, StringKind.InterpolatedRaw },
        { "var c = 'a|';", SitePlace.Character, StringKind.None },
        { "var n = 1|;", SitePlace.Code, StringKind.None },
        { "#if DEBUG|\n#endif", SitePlace.Preprocessor, StringKind.None },
        { "#region Loans |\n#endregion", SitePlace.Preprocessor, StringKind.None },
        { "#if NEVER_DEFINED\n    disabled |\n#endif", SitePlace.Comment, StringKind.None },
    };

    [Theory]
    [MemberData(nameof(Places))]
    public async Task The_place_of_the_cursor_is_read_from_the_syntax(string body, SitePlace place, StringKind kind)
    {
        var site = await InBodyAsync(body);

        Assert.True(site.IsCSharp);
        Assert.Equal(place, site.Place);
        Assert.Equal(kind, site.StringKind);
        if (place != SitePlace.Code) Assert.Null(site.Names);
    }

    public static TheoryData<string, bool> Lines => new()
    {
        { "var a = 1;\n        |\n        var b = 2;", true },                        // an empty line of a block
        { "if (book.IsBorrowed) {|", true },                                          // after {
        { "if (book.IsBorrowed)|", true },                                            // a statement header
        { "foreach (var c in book.Title)|", true },
        { "try|", true },
        { "switch (book.Title) { case \"a\":|", true },
        { "void Local()|", true },                                                    // a signature without its body
        { "var a = book.|", false },                                                  // an expression to finish
        { "book.Borrow(|);", false },                                                 // the middle of a line
        { "book.Borrow(\n            |", false },                                     // an empty line inside arguments
        { "var a = 1;|", false },                                                     // a finished statement
        { "Func<int> f = () =>|", false },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public async Task One_or_several_lines_follow_from_the_syntax(string body, bool multiLine)
    {
        var site = await InBodyAsync(body);

        Assert.Equal(multiLine, site.IsMultiLine);
    }

    [Fact]
    public async Task Several_lines_fit_between_members_after_a_type_header_and_at_the_end_of_a_file()
    {
        Assert.True((await SiteAsync("namespace Library;\n\npublic class Catalog\n{\n    public int Count;\n\n    |\n}")).IsMultiLine);
        Assert.True((await SiteAsync("namespace Library;\n\npublic sealed class Catalog : IDisposable|")).IsMultiLine);
        Assert.True((await SiteAsync("namespace Library;\n\npublic class Catalog { }\n|")).IsMultiLine);
    }

    [Fact]
    public async Task Indentation_is_the_lines_and_the_documents_unit()
    {
        var spaces = await SiteAsync("class A\n{\n  void M()\n  {\n    var a = 1;\n    |\n  }\n}\n");
        Assert.Equal("    ", spaces.LineIndentation);
        Assert.Equal("  ", spaces.IndentUnit);
        Assert.Equal("\n", spaces.NewLine);

        var tabs = await SiteAsync("class A\r\n{\r\n\tvoid M()\r\n\t{\r\n\t\t|\r\n\t}\r\n}\r\n");
        Assert.Equal("\t\t", tabs.LineIndentation);
        Assert.Equal("\t", tabs.IndentUnit);
        Assert.Equal("\r\n", tabs.NewLine);
        Assert.True(tabs.IsMultiLine);

        var unknown = await SiteAsync("class A { void M() { | } }");
        Assert.Equal("    ", unknown.IndentUnit);
    }

    [Fact]
    public async Task After_a_value_and_a_dot_the_names_are_its_instance_members_from_every_part_and_extensions()
    {
        var site = await InBodyAsync("var t = book.|");

        var names = Assert.IsType<NameChoice>(site.Names);
        Assert.Equal(NameSource.InstanceMember, names.Source);
        Assert.Equal("Book", names.TypeName);
        Assert.Equal("", names.TypedPrefix);
        Assert.Contains("Title", names.Names);       // Book.cs
        Assert.Contains("IsBorrowed", names.Names);  // Book.Loans.cs
        Assert.Single(names.Names, n => n == "Borrow"); // overloads collapse
        Assert.Contains("Describe", names.Names);    // extension method in scope
        Assert.Contains("GetHashCode", names.Names); // from object
        Assert.DoesNotContain("Create", names.Names); // static: not through a value
        Assert.Equal(names.Names.Order(StringComparer.Ordinal), names.Names);
    }

    [Theory]
    [InlineData("var t = book.Ti|", "Ti")]
    [InlineData("var t = book?.Au|", "Au")]
    [InlineData("var t = book.Ti|tle;", "Ti")]
    [InlineData("book.|\n        var next = 1;", "")]
    public async Task What_was_typed_after_the_dot_is_the_typed_prefix(string body, string typed)
    {
        var site = await InBodyAsync(body);

        Assert.Equal(typed, site.Names?.TypedPrefix);
        Assert.Contains("Title", site.Names!.Names);
    }

    [Fact]
    public async Task After_a_type_a_dot_offers_static_members_and_after_an_enum_its_members()
    {
        var type = await InBodyAsync("var b = Book.|");
        Assert.Equal(NameSource.StaticMember, type.Names?.Source);
        Assert.Contains("Create", type.Names!.Names);
        Assert.DoesNotContain("Title", type.Names.Names);

        var genre = await InBodyAsync("var g = Genre.|");
        Assert.Equal(["Fiction", "History", "Science"], genre.Names!.Names.Intersect(["Fiction", "History", "Science"]));

        var ns = await InBodyAsync("var g = Library.Models.|");
        Assert.Equal(NameSource.NamespaceMember, ns.Names?.Source);
        Assert.Contains("Book", ns.Names!.Names);
        Assert.Contains("Genre", ns.Names.Names);
    }

    [Fact]
    public async Task After_new_the_expected_type_and_the_types_that_fit_it_come_first()
    {
        var media = await InBodyAsync("Media m = new |");
        var names = Assert.IsType<NameChoice>(media.Names);
        Assert.Equal(NameSource.Type, names.Source);
        Assert.Equal("Media", names.TypeName);
        Assert.Equal(["Atlas", "Novel"], names.Names.Take(2));   // Media itself is abstract
        Assert.Contains("Book", names.Names);
        Assert.DoesNotContain("Media", names.Names);
        Assert.DoesNotContain("IShelved", names.Names);           // an interface cannot be created

        var book = await InBodyAsync("Book b = new Bo|");
        Assert.Equal("Book", book.Names?.Names[0]);
        Assert.Equal("Bo", book.Names?.TypedPrefix);

        var shelved = await InBodyAsync("IShelved s = new |");
        Assert.Equal("Shelf", shelved.Names?.Names[0]);

        var thrown = await InBodyAsync("throw new |");
        Assert.Equal("Exception", thrown.Names?.Names[0]);
        Assert.Contains("ArgumentException", thrown.Names!.Names.Take(100));
    }

    [Fact]
    public async Task Through_base_and_this_protected_members_are_offered()
    {
        string document = "namespace Library.Models;\n\npublic class Base { protected int Shelved; public int Open; }\n\n"
            + "public sealed class Derived : Base\n{\n    private int _own;\n    public int Read() => base.|\n}\n";

        var throughBase = await SiteAsync(document);
        var throughThis = await SiteAsync(document.Replace("base.|", "this.|"));

        Assert.Contains("Shelved", throughBase.Names!.Names);
        Assert.Contains("Open", throughBase.Names.Names);
        Assert.DoesNotContain("_own", throughBase.Names.Names);
        Assert.Contains("Shelved", throughThis.Names!.Names);
        Assert.Contains("_own", throughThis.Names.Names);
    }

    [Fact]
    public async Task A_receiver_that_does_not_bind_offers_no_names()
    {
        var site = await InBodyAsync("var t = nothing.|");

        Assert.Null(site.Names);
        Assert.Equal(SitePlace.Code, site.Place);
    }

    [Fact]
    public async Task An_edit_inside_a_compiled_body_is_bound_speculatively()
    {
        var (workspace, engine) = await Library.CreateAsync(Library.Reader("var a = 1;"));
        using var _ = workspace;
        using var __ = engine;
        string path = workspace.PathOf("src/Reader.cs");
        engine.OpenOrChange(path, Library.Reader("var a = 1;"));
        var (text, line, character) = TempWorkspace.Cursor(Library.Reader("var a = 1;\n        var t = book.Is|"));
        engine.OpenOrChange(path, text);

        var site = engine.AnalyzeCompletionSite(path, line, character, CancellationToken.None);

        Assert.Equal("Is", site.Names?.TypedPrefix);
        Assert.Contains("IsBorrowed", site.Names!.Names);
    }

    [Fact]
    public async Task Surrogate_pairs_and_CRLF_count_in_UTF16_units()
    {
        string body = "var s = \"😀😀\" + book.|";
        var site = await SiteAsync(Library.Reader(body).Replace("\n", "\r\n"));
        Assert.Contains("Title", site.Names!.Names);
        Assert.Equal("\r\n", site.NewLine);

        var inString = await InBodyAsync("var s = \"😀|😀\";");
        Assert.Equal(SitePlace.String, inString.Place);
    }

    [Fact]
    public async Task Position_zero_the_end_of_the_file_and_positions_past_it_answer()
    {
        var (workspace, engine) = await Library.CreateAsync(Library.Reader(""));
        using var _ = workspace;
        using var __ = engine;
        string path = workspace.PathOf("src/Reader.cs");

        var start = engine.AnalyzeCompletionSite(path, 0, 0, CancellationToken.None);
        var end = engine.AnalyzeCompletionSite(path, 10_000, 10_000, CancellationToken.None);

        Assert.Equal(SitePlace.Code, start.Place);
        Assert.False(start.IsMultiLine);
        Assert.Equal(SitePlace.Code, end.Place);
    }

    [Fact]
    public async Task A_document_never_opened_is_read_from_disk_and_one_outside_the_workspace_is_refused()
    {
        var (workspace, engine) = await Library.CreateAsync(Library.Reader("var t = book."));
        using var _ = workspace;
        using var __ = engine;
        var (_, line, character) = TempWorkspace.Cursor(Library.Reader("var t = book.|"));
        string fresh = workspace.Write("src/Fresh.cs", Library.Reader("var t = book."));

        Assert.Contains("Title", engine.AnalyzeCompletionSite(workspace.PathOf("src/Reader.cs"), line, character, CancellationToken.None).Names!.Names);
        Assert.Contains("Title", engine.AnalyzeCompletionSite(fresh, line, character, CancellationToken.None).Names!.Names);
        Assert.Throws<ContextException>(() => engine.AnalyzeCompletionSite("/nowhere/Other.cs", 0, 0, CancellationToken.None));
    }

    [Fact]
    public async Task Unparseable_text_answers_from_what_parses()
    {
        var site = await SiteAsync("}}} ((( class [[ book.| \"\n#endif ) {{ /* ");

        Assert.Equal(SitePlace.Code, site.Place);
        Assert.False(site.IsMultiLine);
    }

    [Fact]
    public async Task A_five_megabyte_document_answers()
    {
        var text = new StringBuilder(Library.Reader("var t = book.|").Replace("public sealed class Reader", "public sealed partial class Reader"));
        text.Append("\nnamespace Library { public sealed partial class Reader {\n");
        for (int i = 0; text.Length < 5 * 1024 * 1024; i++) text.Append($"    public int Method{i}(int value) {{ return value * {i} + \"padding padding padding\".Length; }}\n");
        text.Append("} }\n");

        var site = await SiteAsync(text.ToString());

        Assert.Contains("Title", site.Names!.Names);
        Assert.Equal("    ", site.IndentUnit);
    }

    [Theory]
    [InlineData("notes/plan.py", "def read(book):|", true)]
    [InlineData("notes/plan.py", "def read(book):\n    return book|", false)]
    [InlineData("notes/plan.py", "items = [|]", false)]
    [InlineData("notes/plan.py", "def read(book):\n    |", true)]
    [InlineData("notes/plan.py", "def read(book):|\n    return 1", false)]
    [InlineData("notes/plan.md", "# Plan\n\n|", true)]
    public async Task Other_files_are_read_by_indentation(string relativePath, string text, bool multiLine)
    {
        var (workspace, engine) = await Library.CreateAsync(Library.Reader(""));
        using var _ = workspace;
        using var __ = engine;
        var (plain, line, character) = TempWorkspace.Cursor(text);
        string path = workspace.Write(relativePath, plain);
        engine.OpenOrChange(path, plain);

        var site = engine.AnalyzeCompletionSite(path, line, character, CancellationToken.None);

        Assert.False(site.IsCSharp);
        Assert.Equal(SitePlace.Code, site.Place);
        Assert.Equal(multiLine, site.IsMultiLine);
        Assert.Null(site.Names);
    }
}

using System.Text;
using CodeAssist.Context;

namespace CodeAssist.Context.Tests;

/// <summary>
/// An open C# document too large to parse while the client waits (generated bindings of several MB): parsed in the
/// background, and until then every query reads a sketch of it around the cursor.
/// </summary>
public sealed class LargeDocumentTests
{
    /// <summary>A partial class of generated methods past the background-parse size (or <paramref name="length"/>), one of them with the cursor ("|").</summary>
    private static string Bindings(string cursorBody, int length = ContextEngine.ParsedInBackgroundAbove + 200_000)
    {
        var text = new StringBuilder("using Library.Models;\n\nnamespace Library.Bindings\n{\n    public static partial class Gl\n    {\n");
        int i = 0;
        while (text.Length < length / 2)
        {
            text.Append($"        /// <summary>Entry point {i} {{ generated }}.</summary>\n        public static int Call{i}(Book book) {{ return book.Title.Length + {i}; }}\n\n");
            i++;
        }
        text.Append($"        public static void Cursor(Book book)\n        {{\n            {cursorBody}\n        }}\n\n");
        while (text.Length < length)
        {
            text.Append($"        public static int Call{i}(Book book) {{ return {i}; }}\n");
            i++;
        }
        text.Append("    }\n}\n");
        return text.ToString();
    }

    private static string[] ReceiverMembers(ContextResult result) => result.Items.Where(i => i.Kind == "receiverMember").Select(i => i.Text).ToArray();

    [Fact]
    public async Task A_query_before_the_parse_lands_answers_from_a_sketch_and_the_same_after_it()
    {
        var (workspace, engine) = await Library.CreateAsync(Library.Reader(""));
        using var _ = workspace;
        using var __ = engine;
        var (text, line, character) = TempWorkspace.Cursor(Bindings("var n = book.|", 4 * WorkspaceFiles.MaxFileBytes));
        string path = workspace.PathOf("src/Bindings.cs");

        engine.OpenOrChange(path, text);
        var parse = engine.BackgroundParse(path);
        var sketched = engine.GetContext(path, line, character, 2048, CancellationToken.None);
        var completion = engine.AnalyzeCompletionSite(path, line, character, CancellationToken.None);
        var check = engine.CheckInsertions(path, line, character, ["Title;", "Titel;"], CancellationToken.None);
        int sketches = engine.Sketched;
        await parse;
        var parsed = engine.GetContext(path, line, character, 2048, CancellationToken.None);

        // Book's members, from Book.cs and Book.Loans.cs, either way.
        Assert.Contains(ReceiverMembers(sketched), m => m.Contains("string Title", StringComparison.Ordinal));
        Assert.Contains(ReceiverMembers(sketched), m => m.Contains("void Borrow()", StringComparison.Ordinal));
        Assert.Equal(parsed.Items, sketched.Items);
        Assert.Contains("Title", completion.Names!.Names);
        Assert.Empty(check[0].Diagnostics);
        Assert.Equal("Title;", check[1].Repair?.Text);
        Assert.True(parse.IsCompletedSuccessfully);
        // Four megabytes take far longer to parse than three queries on a sketch: all were asked while it ran (so the
        // comparison above is of the sketch with the parsed tree, not of the tree with itself).
        Assert.Equal(3, sketches);
    }

    [Fact]
    public async Task Edits_made_while_it_parses_reach_the_tree_it_publishes_and_a_close_stops_it()
    {
        var log = new List<string>();
        var (workspace, engine) = await Library.CreateAsync(Library.Reader(""), log);
        using var _ = workspace;
        using var __ = engine;
        string path = workspace.PathOf("src/Bindings.cs");
        var (first, _, _) = TempWorkspace.Cursor(Bindings("var n = book.|", WorkspaceFiles.MaxFileBytes + 200_000));
        var (edited, line, character) = TempWorkspace.Cursor(Bindings("var shelf = new Shelf(); shelf.|", WorkspaceFiles.MaxFileBytes + 200_000));

        workspace.Write("src/Bindings.cs", first); // generated, on disk: too large for the index
        var facts = engine.Snapshot.Facts;
        engine.OpenOrChange(path, first);
        var parse = engine.BackgroundParse(path);
        engine.OpenOrChange(path, edited);
        await parse;
        var result = engine.GetContext(path, line, character, 2048, CancellationToken.None);

        Assert.Same(Task.CompletedTask, engine.BackgroundParse(path));
        // Not a context source (the index reads no file this large): opening it leaves the ranking facts as they were,
        // and no other document's answer quotes it.
        Assert.Same(facts, engine.Snapshot.Facts);
        var (reader, readerLine, readerCharacter) = TempWorkspace.Cursor(Library.Reader("var n = Library.Bindings.Gl.Call5(book);|"));
        engine.OpenOrChange(workspace.PathOf("src/Reader.cs"), reader);
        var elsewhere = engine.GetContext(workspace.PathOf("src/Reader.cs"), readerLine, readerCharacter, 2048, CancellationToken.None);
        Assert.NotEmpty(elsewhere.Items);
        Assert.DoesNotContain(elsewhere.Items, i => i.Path == path);
        Assert.Single(log, m => m.StartsWith($"parsed {path} in the background", StringComparison.Ordinal));
        // The published tree has the edited text: the local declared there is a Shelf, whose member follows the dot.
        Assert.Contains(ReceiverMembers(result), m => m.Contains("void Add(Book book)", StringComparison.Ordinal));

        engine.Close(path);
        engine.OpenOrChange(path, first);
        var again = engine.BackgroundParse(path);
        engine.Close(path);
        await again;

        Assert.Single(log, m => m.StartsWith($"parsed {path} in the background", StringComparison.Ordinal));
        Assert.Same(facts, engine.Snapshot.Facts);
        // Closed, it is the disk's file again, which no query reads, and the cancelled parse did not bring it back.
        Assert.Throws<ContextException>(() => engine.GetContext(path, line, character, 2048, CancellationToken.None));
    }

    [Fact]
    public async Task An_indexed_file_of_a_bodyless_repository_stays_compiled_without_bodies_while_it_parses_and_after()
    {
        var (text, line, character) = TempWorkspace.Cursor(Bindings("var n = book.|"));
        using var workspace = new TempWorkspace();
        workspace.Write("src/Models/Book.cs", Library.Book);
        workspace.Write("src/Models/Book.Loans.cs", Library.BookLoans);
        workspace.Write("src/Bindings.cs", text.Replace("var n = book.", "var n = 1;", StringComparison.Ordinal));
        using var engine = await workspace.IndexAsync(bodyless: true);
        string path = workspace.PathOf("src/Bindings.cs");
        var compilation = engine.Snapshot.Compilation;

        engine.OpenOrChange(path, text);
        var parse = engine.BackgroundParse(path);
        var sketched = engine.GetContext(path, line, character, 2048, CancellationToken.None);
        // While it parses the compilation keeps the file's bodyless tree: nothing bound in it is built again.
        Assert.Same(compilation, engine.Snapshot.Compilation);
        await parse;
        var parsed = engine.GetContext(path, line, character, 2048, CancellationToken.None);
        // The parsed text declares what the file does (only a body differs): still that tree, the member grafted into it.
        Assert.Same(compilation, engine.Snapshot.Compilation);
        engine.Close(path);

        Assert.Same(compilation, engine.Snapshot.Compilation);
        Assert.Equal(1, engine.Grafted);
        // Closed before its parse lands, it is the file as indexed again, and the cancelled parse brings nothing back.
        var indexed = engine.Snapshot.Documents[path];
        engine.OpenOrChange(path, text);
        var again = engine.BackgroundParse(path);
        engine.Close(path);
        await again;
        Assert.Same(indexed, engine.Snapshot.Documents[path]);
        Assert.Same(compilation, engine.Snapshot.Compilation);
        Assert.Contains(ReceiverMembers(sketched), m => m.Contains("void Borrow()", StringComparison.Ordinal));
        Assert.Equal(ReceiverMembers(parsed), ReceiverMembers(sketched));
    }

    [Fact]
    public async Task A_sketch_ranks_by_the_names_the_whole_document_uses()
    {
        // Genre is used once, at the top, hundreds of kilobytes above the cursor: outside any sketch of it.
        var (text, line, character) = TempWorkspace.Cursor(Bindings("var n = book.|")
            .Replace("    {\n        /// <summary>Entry point 0 ", "    {\n        public static Genre Favourite() => Genre.History;\n\n        /// <summary>Entry point 0 ", StringComparison.Ordinal));
        var (workspace, engine) = await Library.CreateAsync(Library.Reader(""));
        using var _ = workspace;
        using var __ = engine;
        string path = workspace.PathOf("src/Bindings.cs");

        engine.OpenOrChange(path, text);
        var parse = engine.BackgroundParse(path);
        var sketched = engine.GetContext(path, line, character, 4096, CancellationToken.None);
        await parse;
        var parsed = engine.GetContext(path, line, character, 4096, CancellationToken.None);

        Assert.Contains(sketched.Items, i => i.Text.Contains("enum Genre", StringComparison.Ordinal));
        Assert.Equal(parsed.Items, sketched.Items);
    }
}

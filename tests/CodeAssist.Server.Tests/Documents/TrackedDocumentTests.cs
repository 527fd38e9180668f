using CodeAssist.Server.Documents;
using CodeAssist.Server.Protocol;
using Range = CodeAssist.Server.Protocol.Range;

namespace CodeAssist.Server.Tests.Documents;

public class TrackedDocumentTests
{
    private static TextDocumentContentChangeEvent Edit(int startLine, int startCharacter, int endLine, int endCharacter, string text) =>
        new(text, new Range(new Position(startLine, startCharacter), new Position(endLine, endCharacter)));

    private static TrackedDocument Open(string text) => new("file:///a.cs", "csharp", 1, text);

    [Fact]
    public void An_edit_after_a_surrogate_pair_counts_it_as_two_units()
    {
        var document = Open("var s = \"😀\";\r\nnext();\r\n");

        // The closing quote is at 11: "😀" takes the units 9 and 10.
        var edited = document.WithChanges(2, [Edit(0, 12, 0, 12, "!")]);

        Assert.Equal("var s = \"😀\"!;\r\nnext();\r\n", edited.Text);
        Assert.Equal(2, edited.Version);
    }

    [Fact]
    public void Replacing_a_surrogate_pair_and_a_crlf_line_break_joins_the_lines()
    {
        var document = Open("a😀\r\nb");

        var edited = document.WithChanges(2, [Edit(0, 1, 1, 0, "-")]);

        Assert.Equal("a-b", edited.Text);
        Assert.Equal(1, edited.Lines.LineCount);
    }

    [Fact]
    public void Changes_apply_in_order_each_against_the_text_the_previous_left()
    {
        var document = Open("one\ntwo\n");

        var edited = document.WithChanges(3, [Edit(0, 0, 0, 3, "1"), Edit(0, 1, 0, 1, "\r\nmiddle"), Edit(2, 3, 2, 3, "!")]);

        Assert.Equal("1\r\nmiddle\ntwo!\n", edited.Text);
        Assert.Equal(4, edited.Lines.LineCount);
    }

    [Fact]
    public void A_change_without_a_range_replaces_the_whole_text()
    {
        var edited = Open("old").WithChanges(2, [new TextDocumentContentChangeEvent("new\ntext")]);
        Assert.Equal("new\ntext", edited.Text);
    }

    [Fact]
    public void Ranges_past_the_end_clamp_instead_of_failing()
    {
        var document = Open("ab\ncd");

        var edited = document.WithChanges(2, [Edit(0, 50, 0, 60, "X"), Edit(9, 0, 12, 4, "Z")]);

        Assert.Equal("abX\ncdZ", edited.Text);
    }

    [Fact]
    public void A_reversed_range_inserts_at_its_start_and_deletes_nothing()
    {
        var edited = Open("abcd").WithChanges(2, [Edit(0, 3, 0, 1, "X")]);
        Assert.Equal("abcXd", edited.Text);
    }

    [Fact]
    public void Editing_leaves_the_original_document_unchanged_for_readers_holding_it()
    {
        var document = Open("abc");
        document.WithChanges(2, [Edit(0, 0, 0, 3, "xyz")]);
        Assert.Equal("abc", document.Text);
        Assert.Equal(1, document.Version);
    }
}

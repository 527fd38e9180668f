using CodeAssist.Context;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Context.Tests;

public sealed class EditedTextTests
{
    [Theory]
    [InlineData("abc", "abXc", 2, 0, 1)]
    [InlineData("abc", "ac", 1, 1, 0)]
    [InlineData("aaaa", "aaaaa", 4, 0, 1)] // the repeated character: the prefix takes it all, the suffix nothing
    [InlineData("x\\r\\ny", "x\\r\\n\\r\\ny", 3, 0, 2)]
    [InlineData("a\\uD83D\\uDE00b", "a\\uD83D\\uDE01b", 2, 1, 1)] // a surrogate pair's low half changed
    [InlineData("same", "same", 4, 0, 0)]
    public void The_one_change_is_what_lies_between_the_common_start_and_end(string before, string after, int start, int removed, int inserted)
    {
        (before, after) = (System.Text.RegularExpressions.Regex.Unescape(before), System.Text.RegularExpressions.Regex.Unescape(after));
        var previous = SourceText.From(before);
        var text = new EditedText(after, previous);

        var change = Assert.Single(text.GetChangeRanges(previous));

        Assert.Equal(new TextChangeRange(new TextSpan(start, removed), inserted), change);
        Assert.Equal(after, text.ToString());
        Assert.Equal(after.Length, text.Length);
    }

    [Fact]
    public void Typing_a_line_character_by_character_reparses_into_the_tree_a_full_parse_gives()
    {
        const string before = "class C\n{\n    void M()\n    {\n    }\n}\n";
        const string typed = "var s = \"a\\u00e9\\uD83D\\uDE00\"; // \u00e9\n        s.";
        int at = before.IndexOf("    }", StringComparison.Ordinal) - 1;
        var tree = CSharpSyntaxTree.ParseText(before);
        for (int length = 1; length <= typed.Length; length++)
        {
            string text = before.Insert(at, typed[..length]);
            var previous = tree.GetText();
            tree = tree.WithChangedText(new EditedText(text, previous));

            Assert.Equal(text, tree.GetRoot().ToFullString());
            Assert.True(tree.GetRoot().IsEquivalentTo(CSharpSyntaxTree.ParseText(text).GetRoot()), $"after {length} characters");
        }
    }

    [Fact]
    public void A_text_it_was_not_made_from_gets_the_whole_text_as_its_change()
    {
        var previous = SourceText.From("abc");
        var text = new EditedText("abXc", previous);

        var change = Assert.Single(text.GetChangeRanges(SourceText.From("abc")));

        Assert.Equal(new TextChangeRange(new TextSpan(0, 3), 4), change);
    }
}

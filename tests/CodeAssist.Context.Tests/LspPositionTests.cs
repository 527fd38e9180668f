using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Context.Tests;

public sealed class LspPositionTests
{
    [Theory]
    [InlineData("a\\u2028b\\nc", 1, 0, 4)]     // Roslyn's line 1 would be "b"
    [InlineData("a\\u0085b\\u2029c\\nd", 1, 0, 6)]
    [InlineData("a\\u2028b\\r\\ncd", 1, 1, 6)]
    [InlineData("a\\u2028b\\nc", 0, 99, 3)]    // past the line's end: its end, the U+2028 inside it
    [InlineData("a\\u2028b\\nc", 5, 0, 5)]     // past the last line: the text's end
    [InlineData("a\\r\\nb", 1, 0, 3)]
    [InlineData("a\\r\\nb", 0, 99, 1)]
    [InlineData("a\\nb", -1, 3, 0)]
    public void Lines_end_at_cr_lf_and_crlf_only(string text, int line, int character, int offset) =>
        Assert.Equal(offset, LspPosition.Offset(SourceText.From(System.Text.RegularExpressions.Regex.Unescape(text)), line, character));

    [Theory]
    [InlineData("a\u2028b\nc")]
    [InlineData("a\u0085b\u2029c\r\nd\re\n")]
    [InlineData("ab\r\ncd")]
    public void Every_offset_maps_to_the_position_that_maps_back_to_it(string value)
    {
        var text = SourceText.From(value);
        for (int offset = 0; offset <= text.Length; offset++)
        {
            // Between a CR and its LF is no position of its own: it reads as the line's end.
            if (offset > 0 && offset < text.Length && text[offset - 1] == '\r' && text[offset] == '\n') continue;
            var position = LspPosition.Position(text, offset);
            Assert.Equal(offset, LspPosition.Offset(text, position.Line, position.Character));
        }
    }

    [Fact]
    public void A_range_is_in_the_clients_lines()
    {
        var text = SourceText.From("a\u2028b\nc");

        Assert.Equal(new SourceSpan(0, 2, 1, 1), LspPosition.Range(text, TextSpan.FromBounds(2, 5)));
    }

    [Fact]
    public async Task A_query_below_a_unicode_line_separator_is_at_the_clients_line()
    {
        var (text, line, character) = TempWorkspace.Cursor(Shop.CheckoutWith("// pasted from a page:\u2028 the order\n        order.|"));
        var (workspace, engine) = await Shop.CreateAsync(Shop.CheckoutWith(""));
        using var _ = workspace;
        using var __ = engine;
        string path = workspace.PathOf("src/Checkout.cs");
        engine.OpenOrChange(path, text);

        var items = engine.GetContext(path, line, character, 2048, CancellationToken.None).Items;

        Assert.Contains(items, i => i.Kind == "receiverMember" && i.Text.Contains("AddLine("));
    }
}

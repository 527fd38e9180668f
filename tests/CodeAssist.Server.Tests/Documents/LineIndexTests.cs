using CodeAssist.Server.Documents;
using CodeAssist.Server.Protocol;

namespace CodeAssist.Server.Tests.Documents;

public class LineIndexTests
{
    [Theory]
    [InlineData("a\nb", 2)]
    [InlineData("a\r\nb\r\n", 3)]
    [InlineData("a\rb\r", 3)]
    [InlineData("a\r\r\nb\n\n", 5)]
    [InlineData("\r\n", 2)]
    [InlineData("", 1)]
    [InlineData("no break", 1)]
    public void Lines_end_at_lf_crlf_and_cr(string text, int lines) =>
        Assert.Equal(lines, new LineIndex(text).LineCount);

    [Fact]
    public void Each_line_starts_after_its_break_a_lone_cr_included()
    {
        const string text = "a\r\r\nb\n\nc";
        var index = new LineIndex(text);

        Assert.Equal([0, 2, 4, 6, 7], Enumerable.Range(0, index.LineCount).Select(line => index.ToOffset(text, new Position(line, 0))));
    }

    [Fact]
    public void Characters_count_utf16_code_units_so_a_surrogate_pair_is_two()
    {
        const string text = "x😀y\nz";
        var index = new LineIndex(text);

        Assert.Equal(3, index.ToOffset(text, new Position(0, 3)));
        Assert.Equal('y', text[index.ToOffset(text, new Position(0, 3))]);
        Assert.Equal(new Position(0, 3), index.ToPosition(3));
    }

    [Fact]
    public void A_position_inside_a_surrogate_pair_moves_to_its_start()
    {
        const string text = "x😀y";
        Assert.Equal(1, new LineIndex(text).ToOffset(text, new Position(0, 2)));
    }

    [Theory]
    [InlineData("ab\r\ncd", 0, 99, 2)]
    [InlineData("ab\ncd", 1, 99, 5)]
    [InlineData("ab\rcd", 0, 3, 2)]
    [InlineData("ab\ncd", 7, 0, 5)]
    [InlineData("ab\ncd", 0, -4, 0)]
    public void Positions_past_the_end_clamp_to_the_line_end_before_its_break_or_to_the_text_end(string text, int line, int character, int offset) =>
        Assert.Equal(offset, new LineIndex(text).ToOffset(text, new Position(line, character)));

    [Fact]
    public void Offsets_map_back_to_positions_on_crlf_text()
    {
        const string text = "ab\r\ncd\r\n";
        var index = new LineIndex(text);

        Assert.Equal(new Position(1, 1), index.ToPosition(5));
        Assert.Equal(new Position(2, 0), index.ToPosition(text.Length));
        Assert.Equal(new Position(2, 0), index.ToPosition(text.Length + 10));
    }
}

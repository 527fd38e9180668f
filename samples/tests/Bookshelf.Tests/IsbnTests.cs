using Bookshelf.Core;

namespace Bookshelf.Tests;

public class IsbnTests
{
    [Theory]
    [InlineData("978-84-376-0494-7", "9788437604947")]
    [InlineData("978 0 06 088328 7", "9780060883287")]
    [InlineData("9780141187761", "9780141187761")]
    public void Parse_accepts_separators(string text, string digits) =>
        Assert.Equal(digits, Isbn.Parse(text).Digits);

    [Theory]
    [InlineData("978-84-376-0494-8")] // wrong check digit
    [InlineData("978-84-376-0494")]   // too short
    [InlineData("97884376049X7")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_rejects_what_is_not_an_isbn13(string? text) =>
        Assert.False(Isbn.TryParse(text, out _));

    [Fact]
    public void Parse_throws_a_format_exception_naming_the_input()
    {
        var exception = Assert.Throws<FormatException>(() => Isbn.Parse("12345"));
        Assert.Contains("12345", exception.Message);
    }

    [Theory]
    [InlineData("978-84-376-0494-7", "84")]
    [InlineData("978-0-06-088328-7", "0")]
    public void Group_is_the_registration_group(string text, string group) =>
        Assert.Equal(group, Isbn.Parse(text).Group);
}

namespace CodeAssist.Context.Tests;

public sealed class LexicalIndexTests
{
    [Fact]
    public void Identifiers_are_counted_as_they_are_split_keywords_and_numbers_aside()
    {
        const string text = "int x1 = Foo.Bar(0x1F, 2e5, _under, \u00e9t\u00e9, @class, Foo); // Foo";
        var split = new Dictionary<string, int>(StringComparer.Ordinal);
        Identifiers.Split(text, name => split[name] = split.GetValueOrDefault(name) + 1);

        var counted = Identifiers.Count(text);

        // ASCII names only: the t between two é is one.
        Assert.Equal(new Dictionary<string, int> { ["x1"] = 1, ["Foo"] = 3, ["Bar"] = 1, ["_under"] = 1, ["t"] = 1 }, counted);
        Assert.Equal(split, counted);
    }
}

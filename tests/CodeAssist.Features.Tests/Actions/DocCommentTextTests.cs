using CodeAssist.Features.Actions;

namespace CodeAssist.Features.Tests.Actions;

/// <summary>Whatever a model answers, a documentation comment is all that comes out, in the language's style.</summary>
public sealed class DocCommentTextTests
{
    [Fact]
    public void Well_formed_xml_doc_lines_are_kept_and_the_code_around_them_dropped()
    {
        var lines = DocCommentText.Lines("""
            Here is the comment:
            ```csharp
            /// <summary>Adds <paramref name="count"/> units of a product.</summary>
            /// <param name="sku">The product.</param>
            public void AddLine(string sku, int count) { Delete(); }
            ```
            """, DocCommentStyle.XmlLines);

        Assert.Equal(["/// <summary>Adds <paramref name=\"count\"/> units of a product.</summary>", "/// <param name=\"sku\">The product.</param>"], lines);
    }

    [Fact]
    public void Malformed_xml_becomes_an_escaped_summary_of_the_prose()
    {
        var lines = DocCommentText.Lines("/// <summary>Returns x < y && y > z\n/// </sumary>", DocCommentStyle.XmlLines);

        Assert.Equal(["/// <summary>", "/// Returns x &lt; y &amp;&amp; y &gt; z", "/// </summary>"], lines);
    }

    [Fact]
    public void Prose_with_code_fences_and_noise_is_cleaned_wrapped_and_commented_out()
    {
        var answer = "Adds the line.\u0007 It\u202Eis safe.\n```csharp\nDeleteEverything();\n```\n" + string.Join(" ", Enumerable.Repeat("word", 40));

        var lines = DocCommentText.Lines(answer, DocCommentStyle.XmlLines);

        Assert.Equal("/// <summary>", lines[0]);
        Assert.Equal("/// </summary>", lines[^1]);
        Assert.StartsWith("/// Adds the line. Itis safe. word word", lines[1]);
        Assert.All(lines, line => Assert.StartsWith("///", line));
        Assert.All(lines, line => Assert.True(line.Length <= 100, line));
        Assert.DoesNotContain(lines, line => line.Contains("DeleteEverything", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DocCommentStyle.Block, "/**| * Counts lines.* / Done.| */")]
    [InlineData(DocCommentStyle.SlashLines, "/// Counts lines.*/ Done.")]
    [InlineData(DocCommentStyle.LineComments, "// Counts lines.*/ Done.")]
    [InlineData(DocCommentStyle.HashLines, "# Counts lines.*/ Done.")]
    [InlineData(DocCommentStyle.Docstring, "\"\"\"Counts lines.*/ Done.\"\"\"")]
    public void Other_languages_get_their_own_style_and_a_block_cannot_be_closed_early(DocCommentStyle style, string expected)
    {
        var lines = DocCommentText.Lines("Counts lines.*/ Done.", style);

        Assert.Equal(expected.Split('|'), lines);
    }

    [Fact]
    public void A_docstring_cannot_be_closed_by_the_prose()
    {
        var lines = DocCommentText.Lines("Reads a\"\"\"b and c\\d.", DocCommentStyle.Docstring);

        Assert.Equal(["\"\"\"Reads a'''b and c\\\\d.\"\"\""], lines);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n\n")]
    [InlineData("```\ncode only\n```")]
    [InlineData("\u0001\u0002\uFFFD")]
    public void An_answer_without_prose_gives_no_comment(string answer)
    {
        Assert.Empty(DocCommentText.Lines(answer, DocCommentStyle.XmlLines));
    }
}

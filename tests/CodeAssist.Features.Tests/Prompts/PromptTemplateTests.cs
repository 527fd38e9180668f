using CodeAssist.Features.Prompts;

namespace CodeAssist.Features.Tests.Prompts;

public sealed class PromptTemplateTests
{
    private const string Template = """
        {{! test: a question with context.
            Variables: question, files [{path, text}], selection (may be empty) }}
        === system ===
        You answer questions about code.
        === user ===
        {{#files}}
        File {{path}}:
        {{text}}
        {{/files}}
        {{^files}}
        No repository context.
        {{/files}}
        {{#selection}}
        Selected: {{selection}}
        {{/selection}}
        Question: {{question}}
        """;

    [Fact]
    public void Lists_repeat_with_each_items_properties_and_standalone_tags_leave_no_lines()
    {
        var messages = PromptTemplate.Parse("test", Template).Render(new
        {
            question = "What is {{x}}?",
            files = new[] { new { path = "a.cs", text = "class A { }" }, new { path = "b.cs", text = "class B { }" } },
            selection = "",
        });

        Assert.Equal(2, messages.Count);
        Assert.Equal(("system", "You answer questions about code."), (messages[0].Role, messages[0].Content));
        Assert.Equal("user", messages[1].Role);
        // Values are inserted as they are: braces in code or questions are never re-read as tags.
        Assert.Equal("File a.cs:\nclass A { }\nFile b.cs:\nclass B { }\nQuestion: What is {{x}}?", messages[1].Content);
    }

    [Fact]
    public void Inverted_sections_render_for_empty_lists_and_truthy_strings_render_once()
    {
        var messages = PromptTemplate.Parse("test", Template).Render(new Dictionary<string, object?>
        {
            ["question"] = "Why?",
            ["files"] = Array.Empty<object>(),
            ["selection"] = "x + 1",
        });

        Assert.Equal("No repository context.\nSelected: x + 1\nQuestion: Why?", messages[1].Content);
    }

    [Fact]
    public void Dotted_names_read_properties_and_a_dot_is_the_item_itself()
    {
        var template = PromptTemplate.Parse("t", "=== user ===\n{{file.path}}: {{#names}}[{{.}}]{{/names}}\n");
        var messages = template.Render(new { file = new { path = "x.cs" }, names = new[] { "A", "B" } });
        Assert.Equal("x.cs: [A][B]", messages[0].Content);
    }

    [Fact]
    public void Crlf_templates_render_like_lf_ones()
    {
        var messages = PromptTemplate.Parse("test", Template.Replace("\n", "\r\n")).Render(new { question = "Q", files = Array.Empty<object>(), selection = "" });
        Assert.Equal("No repository context.\nQuestion: Q", messages[1].Content);
    }

    [Theory]
    [InlineData("=== user ===\n{{#a}}x\n", "never closed")]
    [InlineData("=== user ===\n{{/a}}\n", "closes no open section")]
    [InlineData("=== user ===\n{{a b}}\n", "not a variable name")]
    [InlineData("=== user ===\n{{a\n", "without a closing")]
    public void Malformed_templates_are_refused_with_the_line(string text, string expected)
    {
        var error = Assert.Throws<PromptException>(() => PromptTemplate.Parse("broken.prompt", text));
        Assert.Contains(expected, error.Message);
        Assert.StartsWith("broken.prompt:", error.Message);
    }

    [Fact]
    public void A_variable_that_was_not_supplied_is_an_error_not_an_empty_string()
    {
        var error = Assert.Throws<PromptException>(() => PromptTemplate.Parse("t", "=== user ===\n{{question}} {{contxt}}\n").Render(new { question = "q", context = "c" }));
        Assert.Contains("'contxt' was not supplied", error.Message);
    }

    [Fact]
    public void Text_before_any_role_line_is_an_error()
    {
        var error = Assert.Throws<PromptException>(() => PromptTemplate.Parse("t", "hello\n=== user ===\nx\n").Render(new { }));
        Assert.Contains("has no role", error.Message);
    }
}

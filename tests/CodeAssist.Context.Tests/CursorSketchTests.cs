using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Context.Tests;

public sealed class CursorSketchTests
{
    /// <summary>A class of <paramref name="methods"/> three-line methods, each with a doc comment, in a namespace block.</summary>
    private static string Generated(int methods, string lineBreak = "\n")
    {
        var text = new StringBuilder($"using System;{lineBreak}using System.Text;{lineBreak}{lineBreak}namespace Bindings{lineBreak}{{{lineBreak}    using Inner = System.Collections.Generic;{lineBreak}{lineBreak}    public static partial class GL{lineBreak}    {{{lineBreak}");
        for (int i = 0; i < methods; i++)
        {
            text.Append($"        /// <summary>Method {i} {{ with braces in its comment }}</summary>{lineBreak}");
            text.Append($"        public static int M{i}(int x) {{ var s = \"{{\"; return x + {i}; }}{lineBreak}");
            text.Append(lineBreak);
        }
        text.Append($"    }}{lineBreak}}}{lineBreak}");
        return text.ToString();
    }

    private static SyntaxTree Parse(string text) => CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Preview));

    private static string[] Methods(SyntaxTree tree) =>
        tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Select(m => m.Identifier.ValueText).ToArray();

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void Keeps_the_enclosing_declarations_the_members_near_the_cursor_and_the_usings_at_the_same_offsets(string lineBreak)
    {
        string text = Generated(1000, lineBreak);
        int cursor = text.IndexOf("return x + 500;", StringComparison.Ordinal);

        string sketch = CursorSketch.Create(text, cursor)!;

        Assert.Equal(text.Length, sketch.Length);
        Assert.Equal(AllIndexesOf(text, '\n'), AllIndexesOf(sketch, '\n'));
        Assert.Equal(AllIndexesOf(text, '\r'), AllIndexesOf(sketch, '\r'));
        var tree = Parse(sketch);
        Assert.Empty(tree.GetDiagnostics());
        // 60 lines above and 20 below, three lines a method: M480 to M506, and the methods the window's edges cut into.
        var methods = Methods(tree);
        Assert.Contains("M500", methods);
        Assert.Equal(Enumerable.Range(480, 27).Select(i => $"M{i}"), methods.Where(m => m is not ("M479" or "M507")));
        var root = (CompilationUnitSyntax)tree.GetRoot();
        Assert.Equal(["System", "System.Text"], root.Usings.Select(u => u.Name!.ToString()));
        var ns = Assert.IsType<NamespaceDeclarationSyntax>(Assert.Single(root.Members));
        Assert.Equal("Inner", Assert.Single(ns.Usings).Alias!.Name.Identifier.ValueText);
        Assert.Equal("GL", Assert.IsType<ClassDeclarationSyntax>(Assert.Single(ns.Members)).Identifier.ValueText);
        // What is kept is the text itself, doc comment included.
        int m500 = text.IndexOf("        /// <summary>Method 500 ", StringComparison.Ordinal);
        int end = text.IndexOf("return x + 501;", StringComparison.Ordinal);
        Assert.Equal(text[m500..end], sketch[m500..end]);
    }

    private static int[] AllIndexesOf(string text, char c) => Enumerable.Range(0, text.Length).Where(i => text[i] == c).ToArray();

    [Fact]
    public void A_sketch_keeps_every_line_break_roslyn_reads_so_its_lines_are_its_texts()
    {
        // A comment far from the cursor, blanked in the sketch, with breaks other than \r and \n.
        string text = Generated(1000, "\n").Replace("/// <summary>Method 10 ", "/// <summary>Method 10 \u2028\u0085\u2029 ");
        int cursor = text.IndexOf("return x + 500;", StringComparison.Ordinal);

        string sketch = CursorSketch.Create(text, cursor)!;

        Assert.Equal(SourceText.From(text).Lines.Select(l => l.Span), SourceText.From(sketch).Lines.Select(l => l.Span));
    }

    [Fact]
    public void Braces_semicolons_and_parentheses_in_literals_comments_and_preprocessor_lines_do_not_count()
    {
        // Two hundred members, then more lines of comments than the window reaches above the cursor.
        var far = string.Concat(Enumerable.Range(0, 200).Select(i => $"    public static int F{i}() => {i};\n"))
            + string.Concat(Enumerable.Repeat("    // filler\n", CursorSketch.LinesBefore));
        string text = $$$""""
            namespace Literals;

            public static class Tricky
            {
            #region far away
            {{{far}}}
            #endregion
                public static string A(int x) => $"{{ {x} }} {(x > 0 ? "}" : "{")}" + @"{ "" }" + '{' + '}' + '\'' + "\"{";
                public static string B() => """ { " } """ + $$"""{{1}} }""";
                // a comment with { and ; and (
                /* a block comment with } and ) */
                public static char C() => ';';
                public static int D(int y) { return y; }
            }
            """";
        int cursor = text.IndexOf("return y;", StringComparison.Ordinal);

        string sketch = CursorSketch.Create(text, cursor)!;

        var tree = Parse(sketch);
        Assert.Empty(tree.GetDiagnostics());
        Assert.Equal(["A", "B", "C", "D"], Methods(tree));
        Assert.Contains("#region far away", sketch);
        Assert.Contains("#endregion", sketch);
        Assert.DoesNotContain("F0()", sketch);
        Assert.Contains("namespace Literals;", sketch);
    }

    [Fact]
    public void A_file_scoped_namespace_far_above_the_cursor_is_kept()
    {
        string text = "namespace Far.Away;\n\n" + string.Concat(Enumerable.Range(0, 300).Select(i => $"public sealed class T{i} {{ public int P{i} {{ get; set; }} }}\n"));
        int cursor = text.IndexOf("P290", StringComparison.Ordinal);

        var tree = Parse(CursorSketch.Create(text, cursor)!);

        var root = (CompilationUnitSyntax)tree.GetRoot();
        Assert.Equal("Far.Away", Assert.IsType<FileScopedNamespaceDeclarationSyntax>(root.Members[0]).Name.ToString());
        var types = root.DescendantNodes().OfType<ClassDeclarationSyntax>().Select(c => c.Identifier.ValueText).ToArray();
        Assert.Contains("T290", types);
        Assert.DoesNotContain("T0", types);
        Assert.Empty(tree.GetDiagnostics());
    }

    [Fact]
    public void A_member_near_the_cursor_keeps_its_body_unless_it_is_generated_data_and_the_cursor_is_not_in_it()
    {
        string data = string.Join(",\n", Enumerable.Repeat("            103, 108, 65, 99, 99, 117, 109, 0", 3000));
        string text = $$"""
            static class GL
            {
                static readonly byte[] Names;

                static GL()
                {
                    Names = new byte[]
                    {
            {{data}}
                    };
                }

                public static int Near(int x) { return x; }
            }
            """;

        var outside = Parse(CursorSketch.Create(text, text.IndexOf("return x;", StringComparison.Ordinal))!);
        var inside = Parse(CursorSketch.Create(text, text.IndexOf("103, 108", StringComparison.Ordinal))!);

        // Within the window both members are kept; the constructor's body only when the cursor is in it.
        var constructor = outside.GetRoot().DescendantNodes().OfType<ConstructorDeclarationSyntax>().Single();
        Assert.Empty(constructor.Body!.Statements);
        Assert.Equal(["Near"], Methods(outside));
        Assert.Empty(outside.GetDiagnostics());
        Assert.Single(inside.GetRoot().DescendantNodes().OfType<ConstructorDeclarationSyntax>().Single().Body!.Statements);
    }

    [Theory]
    [InlineData("class A { void M() { }")]
    [InlineData("class A { } }")]
    public void Braces_that_do_not_balance_give_no_sketch(string text)
    {
        Assert.Null(CursorSketch.Create(text, 5));
    }
}

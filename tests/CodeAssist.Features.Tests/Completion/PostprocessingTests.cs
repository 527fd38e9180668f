using System.Text;
using CodeAssist.Features.Completion.Postprocessing;

namespace CodeAssist.Features.Tests.Completion;

/// <summary>
/// Golden cases for each post-processing step (golden/completion/*.txt): a document with the cursor at <c>$0</c>, what the
/// model generated, and what the step keeps. <c>UPDATE_GOLDEN=1</c> rewrites the files; review the diff.
/// </summary>
public sealed class PostprocessingTests
{
    private sealed record Case(string Name, string Document, string Generated, bool MultiLine, string? IndentUnit = null)
    {
        public InsertionPoint Point()
        {
            var cursor = Document.IndexOf("$0", StringComparison.Ordinal);
            var text = Document.Remove(cursor, 2);
            return InsertionPoint.At(text, cursor, MultiLine, IndentUnit ?? InsertionPoint.IndentUnitOf(text));
        }
    }

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", "\\t") + "\"";

    private static void Check(string golden, IEnumerable<Case> cases, Func<Case, InsertionPoint, string> step)
    {
        var output = new StringBuilder();
        foreach (var @case in cases)
        {
            var point = @case.Point();
            output.Append("### ").Append(@case.Name).Append('\n');
            output.Append("document:  ").Append(Quote(@case.Document)).Append('\n');
            output.Append("site:      ").Append(point.MultiLine ? "multi-line" : "single line").Append(", indent ").Append(Quote(point.IndentUnit)).Append('\n');
            output.Append("generated: ").Append(Quote(@case.Generated)).Append('\n');
            output.Append(step(@case, point)).Append("\n\n");
        }
        Golden.Check($"completion/{golden}", output.ToString());
    }

    [Fact]
    public void Line_mode_keeps_one_line_where_the_site_takes_one() => Check("line-mode.txt",
    [
        new("a single line ends at the first line break", "var total = $0\nreturn total;", "items.Sum();\nvar x = 1;", MultiLine: false),
        new("a single line that would start on the next line gives nothing", "var total = items.Sum();$0\n", "\nreturn total;", MultiLine: false),
        new("a multi-line site keeps every line", "if (ok)\n{\n    $0\n}", "Save();\n    Log();", MultiLine: true),
    ], (@case, point) => "kept:      " + Quote(@case.Generated[..LineMode.Cut(@case.Generated, point)]));

    [Fact]
    public void Stop_rules_end_the_completion_where_the_code_does() => Check("stop-rules.txt",
    [
        new("a closer of a bracket opened on the line is kept, the statement's end stops", "Foo(a, $0", "b) + 1; Bar();", MultiLine: false),
        new("a closer of something opened before the line stops before it", "x = $0", "a + b) * 2", MultiLine: false),
        new("a closer that does not match the innermost bracket stops", "var item = list[$0", "i) + 1]", MultiLine: false),
        new("the end of a statement on one line", "var a = $0", "1; var b = 2;", MultiLine: false),
        new("semicolons inside brackets are not a statement's end", "for (var i = 0$0", "; i < n; i++) {", MultiLine: false),
        new("brackets and semicolons in a string are text", "Log(\"$0", "a) b; c\"); x", MultiLine: false),
        new("lines that leave the cursor's block are cut", "    if (ok)\n    {\n        $0\n    }\n", "Save();\n        Log();\n    }\n    return;", MultiLine: true),
        new("a block the cursor line opens is closed when the document does not close it", "if (ok) {$0\n", "\n    Save();\n}\nreturn;", MultiLine: true),
        new("the same block is not closed twice", "if (ok) {$0\n}\n", "\n    Save();\n}\nreturn;", MultiLine: true),
        new("dedent ends a block in indentation-based code", "def area(r):$0\n", "\n    return 3.14 * r * r\n\nprint(area(2))", MultiLine: true),
        new("a line repeating the document's next line stops", "    var a = Load();\n    $0\n    return a;\n", "a.Check();\n    return a;\n}", MultiLine: true),
        new("a closing line still being generated is not decided yet", "if (ok) {$0\n", "\n    Save();\n}", MultiLine: true),
    ], (@case, point) =>
        "final:     " + Quote(@case.Generated[..StopRules.Cut(@case.Generated, point, final: true)]) + "\n" +
        "streaming: " + Quote(@case.Generated[..StopRules.Cut(@case.Generated, point, final: false)]));

    [Fact]
    public void Suffix_trim_drops_what_the_document_already_has() => Check("suffix-trim.txt",
    [
        new("a line ending with the rest of the line retypes it", "Foo($0)", "a, b)", MultiLine: false),
        new("the first closers of the rest of the line are not doubled", "Foo($0);", "a, b)", MultiLine: false),
        new("an identifier overlapping the rest of the line is left alone", "var x = $0total;", "count", MultiLine: false),
        new("trailing lines equal to the following lines go", "int Foo() {\n$0\n    return 1;\n}\n", "    var x = 1;\n    return 1;\n}", MultiLine: true),
        new("a last line equal to the rest of the cursor line goes", "void Run() {$0}", "\n    Go();\n}", MultiLine: true),
    ], (@case, point) =>
    {
        var (text, retyped) = SuffixTrim.Apply(@case.Generated, point);
        return "kept:      " + Quote(text) + $"\nretypes:   {retyped} characters after the cursor";
    });

    [Fact]
    public void Indentation_follows_the_document() => Check("indentation.txt",
    [
        new("spaces become tabs in a document indented with tabs", "\tif (x)\n\t{\n\t\t$0\n\t}", "Go();\n        if (y)\n            Stop();", MultiLine: true),
        new("tabs become the document's spaces", "    if (x)\n    {\n        $0\n    }", "Go();\n\tStop();", MultiLine: true),
        new("line breaks are the document's", "a\r\n  $0\r\nb", "x();\n  y();", MultiLine: true),
        new("trailing whitespace goes where the completion ends the line", "x = $0", "a  ", MultiLine: false),
        new("and stays before the rest of the line", "x = $0+ y", "a ", MultiLine: false),
    ], (@case, point) => "kept:      " + Quote(IndentationMatch.Apply(@case.Generated, point)));

    [Fact]
    public void The_steps_together_and_when_streaming_can_stop() => Check("postprocessor.txt",
    [
        new("an argument list completed on its line", "var book = catalog.Find($0);\n", "isbn, strict: true);\nvar x = 2;", MultiLine: false),
        new("a method body in a CRLF document", "class A\r\n{\r\n    int Twice(int x)\r\n    {\r\n        $0\r\n    }\r\n}\r\n", "var y = x * 2;\n        return y;\n    }\n\n    int Thrice", MultiLine: true),
        new("whitespace only is nothing", "x = $0", "   \n", MultiLine: false),
        new("only retyping the rest of the line is nothing", "Foo(a$0)", ")", MultiLine: false),
    ], (@case, point) =>
    {
        var result = Postprocessor.Process(@case.Generated, point);
        var streamingStopsAfter = Enumerable.Range(1, @case.Generated.Length).FirstOrDefault(n => Postprocessor.IsFinished(@case.Generated[..n], point));
        return "shown:     " + (result is null ? "nothing" : Quote(result.Text) + $", retyping {result.Retyped}") + "\n" +
            "streaming stops after " + (streamingStopsAfter == 0 ? "the whole text" : Quote(@case.Generated[..streamingStopsAfter]));
    });
}

using System.Text;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Context.Tests;

public sealed class YieldingTextTests
{
    private static string LargeClass()
    {
        var code = new StringBuilder("namespace N;\n\nclass Large\n{\n");
        for (int i = 0; code.Length < 300_000; i++) code.Append($"    public int M{i}(int x) => x + {i}; // \"{{\"\n");
        return code.Append("}\n").ToString();
    }

    [Fact]
    public void The_parser_waits_its_turn_for_each_chunk_it_reads_until_the_text_stops_yielding()
    {
        string code = LargeClass();
        int turns = 0;
        var text = new YieldingText(SourceText.From(code), () => turns++);

        var tree = CSharpSyntaxTree.ParseText(text);
        text.StopYielding();
        int whileParsing = turns;
        var reparsed = tree.WithChangedText(text.WithChanges(new TextChange(new TextSpan(code.Length - 2, 0), "    int Added;\n")));

        Assert.True(whileParsing >= code.Length / 4096, $"{whileParsing} turns for {code.Length} characters");
        Assert.Equal(whileParsing, turns);
        Assert.Same(text, tree.GetText());
        Assert.Equal(code, tree.GetRoot().ToFullString());
        Assert.Empty(reparsed.GetDiagnostics());
        Assert.Contains("int Added;", reparsed.GetText().ToString());
    }

    [Fact]
    public void A_parse_whose_turn_is_cancelled_ends_and_reads_no_further()
    {
        using var cancel = new CancellationTokenSource();
        int turns = 0;
        var text = new YieldingText(SourceText.From(LargeClass()), () =>
        {
            if (++turns == 3) cancel.Cancel();
            cancel.Token.ThrowIfCancellationRequested();
        });

        Assert.ThrowsAny<OperationCanceledException>(() => CSharpSyntaxTree.ParseText(text, cancellationToken: cancel.Token));
        Assert.Equal(3, turns);
    }

    [Fact]
    public void A_parse_waits_for_queries_for_a_bounded_time_in_all_so_queries_that_never_end_do_not_stop_it()
    {
        string code = LargeClass();
        using var noQuery = new ManualResetEventSlim(initialState: false); // a query runs, and never ends
        // A turn that waited without bound would end in the cancellation's exception, not in a tree.
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var text = new YieldingText(SourceText.From(code), YieldingText.WhileQueriesRun(noQuery, TimeSpan.FromMilliseconds(100), bound.Token));

        var tree = CSharpSyntaxTree.ParseText(text, cancellationToken: bound.Token);

        Assert.Equal(code, tree.GetRoot().ToFullString());
    }

    [Fact]
    public void A_turn_waiting_for_a_query_ends_when_the_parse_is_cancelled()
    {
        using var noQuery = new ManualResetEventSlim(initialState: false);
        using var cancel = new CancellationTokenSource();
        var turn = YieldingText.WhileQueriesRun(noQuery, TimeSpan.FromHours(1), cancel.Token);
        cancel.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(turn);
    }
}

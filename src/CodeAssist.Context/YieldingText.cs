using System.Diagnostics;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Context;

/// <summary>
/// The text a background parse reads (<see cref="ContextEngine"/>'s parse of a large open document): until
/// <see cref="StopYielding"/>, each chunk the parser reads first waits its turn (<paramref name="waitTurn"/>: while a
/// query at a cursor runs), so seconds of parsing, and the collections its allocations cause, do not share two cores
/// with the query a user waits for. Afterwards it is the text it wraps, and stays the tree's text.
/// </summary>
internal sealed class YieldingText(SourceText text, Action waitTurn) : SourceText(checksumAlgorithm: text.ChecksumAlgorithm)
{
    private volatile bool _yielding = true;

    /// <summary>The text wrapped, which a client's next text may be.</summary>
    public SourceText Text => text;

    /// <summary>Called on the parse's thread once it has its tree: any other thread must never wait here (a query reparsing would wait for itself).</summary>
    public void StopYielding() => _yielding = false;

    /// <summary>
    /// A turn that waits while <paramref name="noQuery"/> is reset (a query runs), for at most <paramref name="atMost"/>
    /// in all: typing right after opening sends queries back to back, and a parse yielding to every one of them would
    /// leave each keystroke on a sketch for as long as the typing lasts.
    /// </summary>
    public static Action WhileQueriesRun(ManualResetEventSlim noQuery, TimeSpan atMost, CancellationToken cancellationToken)
    {
        var waited = new Stopwatch();
        return () =>
        {
            if (noQuery.IsSet || waited.Elapsed >= atMost) return;
            waited.Start();
            try
            {
                noQuery.Wait(atMost - waited.Elapsed, cancellationToken);
            }
            finally
            {
                waited.Stop();
            }
        };
    }

    public override Encoding? Encoding => text.Encoding;

    public override int Length => text.Length;

    public override char this[int position] => text[position];

    public override void CopyTo(int sourceIndex, char[] destination, int destinationIndex, int count)
    {
        if (_yielding) waitTurn();
        text.CopyTo(sourceIndex, destination, destinationIndex, count);
    }

    public override string ToString(TextSpan span) => text.ToString(span);
}

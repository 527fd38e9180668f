using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace CodeAssist.Models;

/// <summary>
/// The one thread on which a <see cref="LlamaContext"/> computes, started with the context and ended with it.
/// </summary>
/// <remarks>
/// ggml's CPU backend, built with OpenMP, computes each graph with a team of worker threads that belongs to the calling
/// thread and lives until that thread exits. libgomp counts the workers of every live team, and once they outnumber the
/// CPUs every barrier wait spins only ~100 times before sleeping in the kernel; a token of a 24-layer model crosses
/// several hundred barriers. Decoding on whichever pool thread ran an await's continuation left a team on each of them
/// and cost two-thread generation up to a third of its speed, varying from run to run. One thread per context keeps one
/// team per context, like llama-bench's single main thread, and no request pays for creating threads.
/// </remarks>
internal sealed partial class DecodeThread : IDisposable
{
    private const int PrioProcess = 0;
    private const int LowNice = 10;
    private static int s_count;
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;
    private readonly bool _lowPriority;

    /// <param name="lowPriority">Run at nice 10 on Linux, and so do the OpenMP workers this thread starts (a new
    /// thread takes its creator's nice value).</param>
    public DecodeThread(bool lowPriority = false)
    {
        _lowPriority = lowPriority;
        // Linux keeps 15 characters of a thread name; OpenMP's workers inherit it, so a context's threads can be told apart.
        _thread = new Thread(Run) { IsBackground = true, Name = $"llama-ctx {Interlocked.Increment(ref s_count)}" };
        _thread.Start();
    }

    public string Name => _thread.Name!;

    public bool IsCurrent => Thread.CurrentThread == _thread;

    /// <summary>Runs <paramref name="work"/> on this thread after any queued before it; skipped if the token is cancelled
    /// by then. The task completes only when the work has finished, never while it still runs.</summary>
    public Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _work.Add(() =>
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    completion.SetCanceled(cancellationToken);
                    return;
                }
                try
                {
                    completion.SetResult(work());
                }
                catch (Exception exception)
                {
                    completion.SetException(exception);
                }
            }, CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(nameof(LlamaContext), "The context is disposed; its decode thread has ended.");
        }
        return completion.Task;
    }

    private void Run()
    {
        if (_lowPriority && OperatingSystem.IsLinux())
        {
            // With who 0 Linux sets the calling thread's nice value, not the whole process's. Failing (a process already
            // niced further, without the right to raise it) leaves it as it was.
            _ = setpriority(PrioProcess, 0, LowNice);
        }
        foreach (var work in _work.GetConsumingEnumerable())
        {
            work();
        }
    }

    [LibraryImport("libc")]
    private static partial int setpriority(int which, uint who, int prio);

    /// <summary>Lets queued work finish, then ends the thread (and with it the OpenMP team it owns).</summary>
    public void Dispose()
    {
        _work.CompleteAdding();
        if (!IsCurrent)
        {
            _thread.Join();
            _work.Dispose();
        }
    }
}

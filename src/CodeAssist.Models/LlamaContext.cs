using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CodeAssist.Models.Native;

namespace CodeAssist.Models;

/// <summary>Context options. Zero/null means "choose": trained length (capped), physical cores, auto flash attention.</summary>
public sealed record LlamaContextOptions
{
    /// <summary>Tokens of context; 0 = min(trained length, 8192). Never above the trained length.</summary>
    public int ContextSize { get; init; }
    public int BatchSize { get; init; } = 2048;
    public int MicroBatchSize { get; init; } = 512;
    /// <summary>Threads for generation; 0 = physical cores. Always set: llama.cpp's default of 4 collapses on small machines.</summary>
    public int Threads { get; init; }
    public int BatchThreads { get; init; }
    /// <summary>Sequences kept in the KV cache at once (one per document for prefix reuse).</summary>
    public int Sequences { get; init; } = 4;
    /// <summary>
    /// Compute below the process's other threads (Linux: nice 10 for the context's thread and the OpenMP workers it
    /// starts), so a request's context query and compiler check, and the user's programs, are not slowed by the model
    /// working beside them; alone on the CPU the model runs as fast. For good: Linux lets a thread lower its priority
    /// but not raise it back. Off for benchmarks against llama.cpp's own tools.
    /// </summary>
    public bool LowPriority { get; init; }
}

/// <summary>Thrown internally when llama_decode finds no room in the KV cache (return code 1); the caller may evict and retry.</summary>
internal sealed class KvCacheFullException() : Exception("The KV cache has no free slot for this batch.");

/// <summary>
/// A llama.cpp context: KV cache, batched decode, logits. Not thread-safe: one decode loop owns it
/// (<see cref="LlamaCodeModel"/> serialises every use), and it decodes only on its own thread (<see cref="RunAsync{T}"/>),
/// which keeps one OpenMP team of workers per context (see <see cref="DecodeThread"/>).
/// </summary>
public sealed unsafe class LlamaContext : IDisposable
{
    private readonly LlamaContextHandle _handle;
    private readonly IntPtr _memory;
    private llama_batch _batch;
    private readonly CpuThreadpool? _threadpool;
    private readonly DecodeThread _decodeThread;
    // Read by llama.cpp's first compute thread through AbortRequested while a cancellable decode runs; set by the token.
    private readonly int* _abortRequested = (int*)NativeMemory.AllocZeroed(sizeof(int));
    private bool _disposed;

    internal LlamaContext(LlamaModel model, LlamaContextOptions options)
    {
        Model = model;
        var parameters = Llama.llama_context_default_params();
        var trained = Math.Max(model.TrainedContextLength, 1);
        var contextSize = options.ContextSize > 0 ? Math.Min(options.ContextSize, trained) : Math.Min(trained, 8192);
        parameters.n_ctx = (uint)contextSize;
        parameters.n_batch = (uint)Math.Max(1, options.BatchSize);
        parameters.n_ubatch = (uint)Math.Max(1, Math.Min(options.MicroBatchSize, options.BatchSize));
        parameters.n_seq_max = (uint)Math.Max(1, options.Sequences);
        Threads = options.Threads > 0 ? options.Threads : LlamaLibrary.PhysicalCoreCount();
        parameters.n_threads = Threads;
        parameters.n_threads_batch = options.BatchThreads > 0 ? options.BatchThreads : Threads;
        parameters.flash_attn_type = LlamaConstants.LLAMA_FLASH_ATTN_TYPE_AUTO;
        // Several sequences share one cache of n_ctx cells (LRU eviction bounds it). With one sequence the split layout is
        // used, as llama-bench does: a unified cache makes every decode validate all LLAMA_MAX_SEQ (256) sequence slots.
        parameters.kv_unified = parameters.n_seq_max > 1 ? (byte)1 : (byte)0;
        parameters.no_perf = 1;
        using var capture = LlamaLibrary.LogCapture.Start();
        var pointer = Llama.llama_init_from_model(model.Handle.Pointer, parameters);
        if (pointer == IntPtr.Zero)
        {
            throw new ModelException($"llama.cpp could not create a context of {contextSize} tokens for {model.Path} (not enough memory?).", capture.Text);
        }
        _handle = LlamaHandle.Wrap<LlamaContextHandle>(pointer);
        _memory = Llama.llama_get_memory(pointer);
        ContextSize = (int)Llama.llama_n_ctx(pointer);
        BatchSize = (int)Llama.llama_n_batch(pointer); // clamped to n_ctx by llama.cpp
        SequenceCount = (int)Llama.llama_n_seq_max(pointer);
        _threadpool = CpuThreadpool.Create(Threads);
        if (_threadpool is not null)
        {
            // As llama-bench does: a persistent pool instead of the disposable one ggml makes for every graph.
            Llama.llama_attach_threadpool(pointer, _threadpool.Pointer, IntPtr.Zero);
        }
        _batch = Llama.llama_batch_init(BatchSize, 0, 1);
        if (_batch.token == null)
        {
            _handle.Dispose();
            _threadpool?.Dispose();
            throw new ModelException("Could not allocate a llama.cpp batch.");
        }
        _decodeThread = new DecodeThread(options.LowPriority);
    }

    public LlamaModel Model { get; }
    public int ContextSize { get; }
    /// <summary>Effective n_batch: prompts are decoded in chunks of this many tokens.</summary>
    public int BatchSize { get; }
    public int SequenceCount { get; }
    public int Threads { get; }

    /// <summary>Runs <paramref name="work"/> on the context's decode thread, the only thread <see cref="Decode"/> accepts,
    /// after any work queued before it; skipped when <paramref name="cancellationToken"/> is cancelled before it starts
    /// (the work observes cancellation itself once running). The task completes when the work has finished.</summary>
    public Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _decodeThread.RunAsync(work, cancellationToken);
    }

    /// <inheritdoc cref="RunAsync{T}"/>
    public Task RunAsync(Action work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return RunAsync(() =>
        {
            work();
            return true;
        }, cancellationToken);
    }

    /// <summary>Name of the decode thread; OpenMP's workers for this context inherit it.</summary>
    internal string DecodeThreadName => _decodeThread.Name;
    /// <summary>
    /// <see cref="Decode(ReadOnlySpan{int}, int, int)"/> that stops inside llama.cpp's graph computation when
    /// <paramref name="cancellationToken"/> fires, so a long prompt nobody waits for any more is not evaluated to its end.
    /// Micro-batches finished before that stay in the KV cache and the one being computed is removed: after the
    /// <see cref="OperationCanceledException"/>, <see cref="LastPosition"/> tells how far the sequence got.
    /// </summary>
    public void Decode(ReadOnlySpan<int> tokens, int startPosition, int sequence, CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled)
        {
            Decode(tokens, startPosition, sequence);
            return;
        }
        ObjectDisposedException.ThrowIf(_disposed, this);
        Volatile.Write(ref *_abortRequested, 0);
        // An already cancelled token sets the flag at once, so the decode stops at its first graph node.
        using var registration = cancellationToken.UnsafeRegister(static state => ((LlamaContext)state!).RequestAbort(), this);
        Llama.llama_set_abort_callback(_handle.Pointer, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, byte>)&AbortRequested, (IntPtr)_abortRequested);
        try
        {
            Decode(tokens, startPosition, sequence);
        }
        catch (ModelException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        finally
        {
            Llama.llama_set_abort_callback(_handle.Pointer, IntPtr.Zero, IntPtr.Zero);
        }
    }

    private void RequestAbort() => Volatile.Write(ref *_abortRequested, 1);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static byte AbortRequested(IntPtr flag) => Volatile.Read(ref *(int*)flag) != 0 ? (byte)1 : (byte)0;

    /// <summary>Decodes tokens at positions start.. of one sequence, in chunks of <see cref="BatchSize"/>; logits only for the last token.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: called once per generated token, must not run as tier-0 code
    public void Decode(ReadOnlySpan<int> tokens, int startPosition, int sequence)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_decodeThread.IsCurrent)
        {
            throw new InvalidOperationException("A context decodes only on its own thread: call Decode inside LlamaContext.RunAsync.");
        }
        var context = _handle.Pointer;
        for (var offset = 0; offset < tokens.Length; offset += BatchSize)
        {
            var count = Math.Min(BatchSize, tokens.Length - offset);
            _batch.n_tokens = count;
            for (var i = 0; i < count; i++)
            {
                _batch.token[i] = tokens[offset + i];
                _batch.pos[i] = startPosition + offset + i;
                _batch.n_seq_id[i] = 1;
                _batch.seq_id[i][0] = sequence;
                _batch.logits[i] = (sbyte)(offset + i == tokens.Length - 1 ? 1 : 0);
            }
            var result = Llama.llama_decode(context, _batch);
            if (result == 1)
            {
                throw new KvCacheFullException();
            }
            if (result == 2)
            {
                throw new ModelException("llama_decode was aborted.");
            }
            if (result != 0)
            {
                throw new ModelException($"llama_decode failed with code {result}.");
            }
        }
    }

    /// <summary>Logits of the last decoded token (n_vocab floats), valid until the next decode.</summary>
    public ReadOnlySpan<float> LastLogits()
    {
        var pointer = Llama.llama_get_logits_ith(_handle.Pointer, -1);
        if (pointer == null)
        {
            throw new ModelException("llama.cpp returned no logits for the last token.");
        }
        return new ReadOnlySpan<float>(pointer, Model.VocabularySize);
    }

    /// <summary>Index of the largest logit (greedy decoding without the cost of building a candidate array).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // tier-0 vector code is an order of magnitude slower
    public int ArgMaxLastLogits()
    {
        var logits = LastLogits();
        var width = Vector<float>.Count;
        var vectorEnd = Vector.IsHardwareAccelerated && logits.Length >= width ? logits.Length - logits.Length % width : 0;
        var best = 0;
        var bestValue = float.NegativeInfinity;
        if (vectorEnd > 0)
        {
            // One pass: per lane, the largest value and where it was (strictly greater keeps the first occurrence).
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(logits[..vectorEnd]);
            Span<int> laneIndices = stackalloc int[width];
            for (var lane = 0; lane < width; lane++)
            {
                laneIndices[lane] = lane;
            }
            var index = new Vector<int>(laneIndices);
            var step = new Vector<int>(width);
            var maxValues = vectors[0];
            var maxIndices = index;
            for (var v = 1; v < vectors.Length; v++)
            {
                index += step;
                var greater = Vector.GreaterThan(vectors[v], maxValues);
                maxValues = Vector.ConditionalSelect(greater, vectors[v], maxValues);
                maxIndices = Vector.ConditionalSelect(greater, index, maxIndices);
            }
            best = maxIndices[0];
            bestValue = maxValues[0];
            for (var lane = 1; lane < width; lane++)
            {
                if (maxValues[lane] > bestValue || (maxValues[lane] == bestValue && maxIndices[lane] < best))
                {
                    bestValue = maxValues[lane];
                    best = maxIndices[lane];
                }
            }
        }
        for (var i = vectorEnd; i < logits.Length; i++)
        {
            if (logits[i] > bestValue)
            {
                bestValue = logits[i];
                best = i;
            }
        }
        return best;
    }

    internal IntPtr Pointer => _handle.Pointer;

    /// <summary>Drops a sequence's cells from <paramref name="fromPosition"/> on (all of them for 0).</summary>
    public void RemoveFrom(int sequence, int fromPosition)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _ = _handle.Pointer;
        if (_memory != IntPtr.Zero)
        {
            Llama.llama_memory_seq_rm(_memory, sequence, fromPosition, -1);
        }
    }

    /// <summary>Highest position held for a sequence, -1 when empty.</summary>
    public int LastPosition(int sequence)
    {
        _ = _handle.Pointer;
        return _memory == IntPtr.Zero ? -1 : Llama.llama_memory_seq_pos_max(_memory, sequence);
    }

    public void ClearAll()
    {
        _ = _handle.Pointer;
        if (_memory != IntPtr.Zero)
        {
            Llama.llama_memory_clear(_memory, true);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _decodeThread.Dispose(); // lets queued work finish before the native state goes
        Llama.llama_batch_free(_batch);
        _batch = default;
        _handle.Dispose();
        _threadpool?.Dispose(); // after the context that used it
        NativeMemory.Free(_abortRequested);
    }
}

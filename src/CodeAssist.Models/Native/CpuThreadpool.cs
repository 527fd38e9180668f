namespace CodeAssist.Models.Native;

/// <summary>
/// A ggml CPU threadpool (ggml_threadpool_new from the CPU backend's registry, as llama-bench gets it), attached to a
/// context so each decode reuses the same workers. Null when the CPU backend does not export the functions.
/// </summary>
internal sealed unsafe class CpuThreadpool : IDisposable
{
    // struct ggml_threadpool_params is bool[512] + int + enum + uint32 + bool + bool = 528 bytes; leave room.
    private const int ParamsBufferSize = 1024;
    private readonly delegate* unmanaged[Cdecl]<IntPtr, void> _free;
    private IntPtr _pointer;

    private CpuThreadpool(IntPtr pointer, delegate* unmanaged[Cdecl]<IntPtr, void> free)
    {
        _pointer = pointer;
        _free = free;
    }

    public IntPtr Pointer => _pointer != IntPtr.Zero ? _pointer : throw new ObjectDisposedException(nameof(CpuThreadpool));

    public static CpuThreadpool? Create(int threads)
    {
        var device = Llama.ggml_backend_dev_by_type(LlamaConstants.GGML_BACKEND_DEVICE_TYPE_CPU);
        if (device == IntPtr.Zero)
        {
            return null;
        }
        var registry = Llama.ggml_backend_dev_backend_reg(device);
        if (registry == IntPtr.Zero)
        {
            return null;
        }
        var create = Llama.ggml_backend_reg_get_proc_address(registry, "ggml_threadpool_new");
        var free = Llama.ggml_backend_reg_get_proc_address(registry, "ggml_threadpool_free");
        if (create == IntPtr.Zero || free == IntPtr.Zero)
        {
            return null;
        }
        var parameters = stackalloc byte[ParamsBufferSize];
        new Span<byte>(parameters, ParamsBufferSize).Clear();
        Llama.ggml_threadpool_params_init(parameters, threads);
        var pool = ((delegate* unmanaged[Cdecl]<byte*, IntPtr>)create)(parameters);
        return pool == IntPtr.Zero ? null : new CpuThreadpool(pool, (delegate* unmanaged[Cdecl]<IntPtr, void>)free);
    }

    public void Dispose()
    {
        if (_pointer != IntPtr.Zero)
        {
            _free(_pointer);
            _pointer = IntPtr.Zero;
        }
    }
}

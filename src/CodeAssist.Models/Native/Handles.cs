using System.Runtime.InteropServices;

namespace CodeAssist.Models.Native;

/// <summary>Owned native pointers. Zero is invalid; the factories in the safe layer throw at once on an invalid handle,
/// so no later call can pass NULL to llama.cpp (a NULL model or context is a SIGSEGV .NET cannot catch).</summary>
internal abstract class LlamaHandle : SafeHandle
{
    protected LlamaHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>The raw pointer for an import; throws instead of ever returning NULL.</summary>
    public IntPtr Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsClosed || IsInvalid, this);
            return handle;
        }
    }

    public static T Wrap<T>(IntPtr pointer) where T : LlamaHandle, new()
    {
        var wrapped = new T();
        wrapped.SetHandle(pointer);
        return wrapped;
    }
}

internal sealed class LlamaModelHandle : LlamaHandle
{
    protected override bool ReleaseHandle()
    {
        Llama.llama_model_free(handle);
        return true;
    }
}

internal sealed class LlamaContextHandle : LlamaHandle
{
    protected override bool ReleaseHandle()
    {
        Llama.llama_free(handle);
        return true;
    }
}

internal sealed class SamplerHandle : LlamaHandle
{
    protected override bool ReleaseHandle()
    {
        Llama.llama_sampler_free(handle);
        return true;
    }
}

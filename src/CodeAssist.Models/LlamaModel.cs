using System.Runtime.InteropServices;
using System.Text;
using CodeAssist.Models.Gguf;
using CodeAssist.Models.Native;

namespace CodeAssist.Models;

/// <summary>Options for loading weights. <see cref="GpuLayers"/> null = all layers when a GPU backend is present, none otherwise.</summary>
public sealed record ModelLoadOptions
{
    public int? GpuLayers { get; init; }
    public IProgress<double>? Progress { get; init; }
    /// <summary>Skip the file-size-versus-memory check (tests of the check itself, or users who know mmap will cope).</summary>
    public bool SkipMemoryCheck { get; init; }
}

/// <summary>FIM special tokens from the vocabulary (llama_vocab_fim_*); -1 where the vocabulary has none.</summary>
public sealed record FimTokens(int Prefix, int Suffix, int Middle, int Pad, int Repo, int FileSeparator)
{
    public bool HasInfill => Prefix >= 0 && Suffix >= 0 && Middle >= 0;
}

/// <summary>
/// A loaded llama.cpp model and its vocabulary: tokenizer, detokenizer, FIM tokens, metadata and chat template.
/// Thread-safe for reads (llama.cpp's model and vocab are immutable after load).
/// </summary>
public sealed unsafe class LlamaModel : IDisposable
{
    private readonly LlamaModelHandle _handle;
    private readonly IntPtr _vocab;

    private LlamaModel(LlamaModelHandle handle, string path, GgufFile header, BackendInfo backend)
    {
        _handle = handle;
        Path = path;
        Header = header;
        Backend = backend;
        _vocab = Llama.llama_model_get_vocab(handle.Pointer);
        if (_vocab == IntPtr.Zero)
        {
            handle.Dispose();
            throw new ModelException($"{path} has no vocabulary.");
        }
        VocabularySize = Llama.llama_vocab_n_tokens(_vocab);
        TrainedContextLength = Llama.llama_model_n_ctx_train(handle.Pointer);
        Fim = new FimTokens(
            Llama.llama_vocab_fim_pre(_vocab), Llama.llama_vocab_fim_suf(_vocab), Llama.llama_vocab_fim_mid(_vocab),
            Llama.llama_vocab_fim_pad(_vocab), Llama.llama_vocab_fim_rep(_vocab), Llama.llama_vocab_fim_sep(_vocab));
        Bos = Llama.llama_vocab_bos(_vocab);
        Eos = Llama.llama_vocab_eos(_vocab);
        AddBos = Llama.llama_vocab_get_add_bos(_vocab);
    }

    public string Path { get; }
    public GgufFile Header { get; }
    public BackendInfo Backend { get; }
    public int VocabularySize { get; }
    public int TrainedContextLength { get; }
    public FimTokens Fim { get; }
    public int Bos { get; }
    public int Eos { get; }
    public bool AddBos { get; }
    public string? Architecture => Header.Architecture;
    public string? Name => Header.GetString("general.name");
    public ulong ParameterCount => Llama.llama_model_n_params(_handle.Pointer);
    public ulong SizeBytes => Llama.llama_model_size(_handle.Pointer);

    internal LlamaModelHandle Handle => _handle;

    /// <summary>
    /// Loads a GGUF. The header is checked first (missing, empty, not GGUF, truncated, larger than memory) so those cases get
    /// a plain message; what llama.cpp itself refuses (an unknown architecture, missing tensors) comes back with its log reason.
    /// </summary>
    public static LlamaModel Load(string path, ModelLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new ModelLoadOptions();
        var fullPath = System.IO.Path.GetFullPath(path);
        var header = GgufFile.Read(fullPath);
        var backend = LlamaLibrary.EnsureInitialized();
        if (!options.SkipMemoryCheck)
        {
            CheckMemory(fullPath, header.FileSize, backend);
        }

        var parameters = Llama.llama_model_default_params();
        parameters.n_gpu_layers = backend.Kind == BackendKind.Cuda ? options.GpuLayers ?? -1 : 0;
        var state = new LoadState(options.Progress, cancellationToken);
        var stateHandle = GCHandle.Alloc(state);
        try
        {
            parameters.progress_callback = (IntPtr)(delegate* unmanaged[Cdecl]<float, IntPtr, byte>)&OnProgress;
            parameters.progress_callback_user_data = GCHandle.ToIntPtr(stateHandle);
            using var capture = LlamaLibrary.LogCapture.Start();
            var pointer = Llama.llama_model_load_from_file(fullPath, parameters);
            if (pointer == IntPtr.Zero)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var reason = capture.Text;
                var architecture = header.Architecture;
                if (reason.Contains("unknown model architecture", StringComparison.OrdinalIgnoreCase))
                {
                    throw new ModelException($"{fullPath} uses the architecture '{architecture}', which this llama.cpp ({LlamaLibrary.PinnedVersion}) does not support.", reason);
                }
                throw new ModelException($"llama.cpp could not load {fullPath}.", reason);
            }
            return new LlamaModel(LlamaHandle.Wrap<LlamaModelHandle>(pointer), fullPath, header, backend);
        }
        finally
        {
            stateHandle.Free();
        }
    }

    private static void CheckMemory(string path, long fileSize, BackendInfo backend)
    {
        var total = TotalMemoryBytes();
        if (total > 0 && fileSize > total + backend.GpuMemoryBytes)
        {
            throw new ModelException(
                $"{path} needs {fileSize / (1024 * 1024):N0} MiB but this machine has {total / (1024 * 1024):N0} MiB of memory" +
                (backend.GpuMemoryBytes > 0 ? $" plus {backend.GpuMemoryBytes / (1024 * 1024):N0} MiB on the GPU" : "") +
                ". Use a smaller or more quantized model.");
        }
    }

    private static long TotalMemoryBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                {
                    var digits = new string(line.Where(char.IsDigit).ToArray());
                    return long.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }

    private sealed record LoadState(IProgress<double>? Progress, CancellationToken CancellationToken);

    [UnmanagedCallersOnly(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    private static byte OnProgress(float progress, IntPtr userData)
    {
        try
        {
            var state = (LoadState)GCHandle.FromIntPtr(userData).Target!;
            state.Progress?.Report(progress);
            return state.CancellationToken.IsCancellationRequested ? (byte)0 : (byte)1;
        }
        catch
        {
            return 1;
        }
    }

    /// <summary>Tokenizes UTF-8 text. <paramref name="parseSpecial"/> lets special-token text (e.g. "&lt;fim_prefix&gt;") become its token.</summary>
    public int[] Tokenize(string text, bool addSpecial = false, bool parseSpecial = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        var capacity = bytes.Length + 8;
        while (true)
        {
            var tokens = new int[capacity];
            int count;
            fixed (byte* textPointer = bytes)
            fixed (int* tokenPointer = tokens)
            {
                count = Llama.llama_tokenize(_vocab, textPointer, bytes.Length, tokenPointer, tokens.Length, addSpecial, parseSpecial);
            }
            if (count == int.MinValue)
            {
                throw new ModelException("The text is too long to tokenize.");
            }
            if (count < 0)
            {
                capacity = -count; // minus the needed size: grow and retry
                continue;
            }
            return count == tokens.Length ? tokens : tokens[..count];
        }
    }

    /// <summary>The raw bytes of one token's piece; a piece may hold part of a UTF-8 character.</summary>
    public byte[] TokenBytes(int token, bool renderSpecial = false)
    {
        Span<byte> buffer = stackalloc byte[64];
        int length;
        fixed (byte* pointer = buffer)
        {
            length = Llama.llama_token_to_piece(_vocab, token, pointer, buffer.Length, 0, renderSpecial);
        }
        if (length >= 0)
        {
            return buffer[..length].ToArray();
        }
        var larger = new byte[-length];
        fixed (byte* pointer = larger)
        {
            length = Llama.llama_token_to_piece(_vocab, token, pointer, larger.Length, 0, renderSpecial);
        }
        return length < 0 ? [] : larger[..length];
    }

    /// <summary>Detokenizes whole: pieces are joined as bytes first, so characters split across tokens come out intact.</summary>
    public string Detokenize(ReadOnlySpan<int> tokens, bool renderSpecial = false)
    {
        var bytes = new List<byte>(tokens.Length * 4);
        foreach (var token in tokens)
        {
            bytes.AddRange(TokenBytes(token, renderSpecial));
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    public bool IsEndOfGeneration(int token) => Llama.llama_vocab_is_eog(_vocab, token);

    /// <summary>A metadata value as a string (llama_model_meta_val_str), or null when absent.</summary>
    public string? Metadata(string key)
    {
        var keyBytes = Encoding.UTF8.GetBytes(key + "\0");
        var buffer = new byte[256];
        while (true)
        {
            int length;
            fixed (byte* keyPointer = keyBytes)
            fixed (byte* bufferPointer = buffer)
            {
                length = Llama.llama_model_meta_val_str(_handle.Pointer, keyPointer, bufferPointer, (nuint)buffer.Length);
            }
            if (length < 0)
            {
                return null;
            }
            if (length < buffer.Length)
            {
                return Encoding.UTF8.GetString(buffer, 0, length);
            }
            buffer = new byte[length + 1];
        }
    }

    /// <summary>The GGUF's default chat template (tokenizer.chat_template), or null.</summary>
    public string? ChatTemplate
    {
        get
        {
            var pointer = Llama.llama_model_chat_template(_handle.Pointer, null);
            return pointer == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(pointer);
        }
    }

    /// <summary>
    /// Formats messages with llama_chat_apply_template, using <paramref name="template"/> (a built-in name such as
    /// "chatml" or a Jinja template it recognises) or the model's own; falls back to ChatML when neither is usable.
    /// </summary>
    public string ApplyChatTemplate(IReadOnlyList<ChatMessage> messages, bool addAssistant = true, string? template = null)
    {
        template ??= ChatTemplate ?? "chatml";
        var result = TryApplyTemplate(template, messages, addAssistant);
        return result ?? TryApplyTemplate("chatml", messages, addAssistant)
            ?? throw new ModelException("The model's chat template is not supported by llama.cpp; set a template name (e.g. chatml) explicitly.");
    }

    private static string? TryApplyTemplate(string template, IReadOnlyList<ChatMessage> messages, bool addAssistant)
    {
        var pinned = new List<GCHandle>();
        try
        {
            byte[] Pin(string s)
            {
                var bytes = Encoding.UTF8.GetBytes(s + "\0");
                pinned.Add(GCHandle.Alloc(bytes, GCHandleType.Pinned));
                return bytes;
            }
            var native = new llama_chat_message[messages.Count];
            for (var i = 0; i < messages.Count; i++)
            {
                Pin(messages[i].Role);
                native[i].role = pinned[^1].AddrOfPinnedObject();
                Pin(messages[i].Content);
                native[i].content = pinned[^1].AddrOfPinnedObject();
            }
            var templateBytes = Encoding.UTF8.GetBytes(template + "\0");
            var capacity = 2 * messages.Sum(m => Encoding.UTF8.GetByteCount(m.Content) + 16) + 256;
            while (true)
            {
                var buffer = new byte[capacity];
                int length;
                fixed (byte* templatePointer = templateBytes)
                fixed (llama_chat_message* chat = native)
                fixed (byte* bufferPointer = buffer)
                {
                    length = Llama.llama_chat_apply_template(templatePointer, chat, (nuint)native.Length, addAssistant, bufferPointer, buffer.Length);
                }
                if (length < 0)
                {
                    return null;
                }
                if (length <= buffer.Length)
                {
                    return Encoding.UTF8.GetString(buffer, 0, length);
                }
                capacity = length;
            }
        }
        finally
        {
            foreach (var handle in pinned)
            {
                handle.Free();
            }
        }
    }

    public void Dispose() => _handle.Dispose();
}

/// <summary>One chat turn; Role is "system", "user" or "assistant".</summary>
public sealed record ChatMessage(string Role, string Content);

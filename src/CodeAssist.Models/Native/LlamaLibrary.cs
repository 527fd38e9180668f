using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using CodeAssist.Models.Native;

namespace CodeAssist.Models;

/// <summary>
/// Process-wide llama.cpp state: where the libraries are, the import resolver for their versioned file names,
/// the one-time backend initialisation (<c>llama_backend_init</c> + <c>ggml_backend_load_all_from_path</c>),
/// the struct-size self-check and the log callback.
/// </summary>
/// <remarks>
/// llama.cpp reports why a load failed only through its log callback, so the callback keeps the warnings and errors of
/// the current thread while a <see cref="LogCapture"/> is open; the safe layer attaches them to the exception it throws.
/// Nothing is ever written to stdout (the LSP channel); other messages go to <see cref="LogSink"/> when one is set.
/// </remarks>
public static class LlamaLibrary
{
    public const string PinnedVersion = "3.22.1";
    public const int ExpectedModelParamsSize = 80;
    public const int ExpectedContextParamsSize = 160;
    public const int ExpectedBatchSize = 56;
    /// <summary>llama_version() of the pinned source; other versions may lay the by-value structs out differently.</summary>
    public const string ExpectedNativeVersionPrefix = "0.5.0";

    private static readonly object s_initLock = new();
    private static volatile BackendInfo? s_backend;
    private static string? s_directory;
    [ThreadStatic] private static StringBuilder? t_capture;

    /// <summary>Receives llama.cpp's log lines (level, text) other than debug output. Set by the host; may be null.</summary>
    public static Action<LogLevel, string>? LogSink { get; set; }

    public enum LogLevel { Debug = 1, Info = 2, Warn = 3, Error = 4 }

#pragma warning disable CA2255 // The resolver must be registered before any import runs, whichever type is touched first.
    [ModuleInitializer]
    internal static void RegisterResolver()
    {
        NativeLibrary.SetDllImportResolver(typeof(LlamaLibrary).Assembly, Resolve);
    }
#pragma warning restore CA2255

    /// <summary>The directory holding lib/, bin/, vocab/ and include/: CODEASSIST_LLAMA_DIR or the default cache.</summary>
    public static string InstallDirectory
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("CODEASSIST_LLAMA_DIR");
            if (!string.IsNullOrWhiteSpace(fromEnv))
            {
                return Path.GetFullPath(fromEnv);
            }
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return Path.Combine(home, ".cache", "codeassist", "llama", PinnedVersion);
        }
    }

    public static string LibraryDirectory => s_directory ?? Path.Combine(InstallDirectory, "lib");

    /// <summary>"cuda" or "cpu", as <see cref="EnsureInitialized"/> finds it, or why neither is available; never throws.</summary>
    public static string DescribeBackend()
    {
        try
        {
            return EnsureInitialized().Name;
        }
        catch (ModelException exception)
        {
            return $"unavailable: {exception.Message}";
        }
    }

    /// <summary>Initialises the backend once and returns what it found. Throws <see cref="ModelException"/> when the libraries are missing.</summary>
    public static BackendInfo EnsureInitialized()
    {
        var backend = s_backend;
        if (backend is not null)
        {
            return backend;
        }
        lock (s_initLock)
        {
            if (s_backend is not null)
            {
                return s_backend;
            }
            CheckStructSizes();
            var libDir = Path.Combine(InstallDirectory, "lib");
            if (FindLibrary(libDir, "llama") is null)
            {
                throw new ModelException(
                    $"llama.cpp libraries were not found in {libDir}. Run eng/llama/build.sh (or set CODEASSIST_LLAMA_DIR to its output directory).");
            }
            s_directory = libDir;
            var version = Marshal.PtrToStringUTF8(Llama.llama_version()) ?? "";
            if (!version.StartsWith(ExpectedNativeVersionPrefix, StringComparison.Ordinal))
            {
                throw new ModelException(
                    $"The llama.cpp in {libDir} is version '{version}', but CodeAssist binds {ExpectedNativeVersionPrefix} (node-llama-cpp {PinnedVersion}). " +
                    "Run eng/llama/build.sh or point CODEASSIST_LLAMA_DIR at its output.");
            }
            unsafe
            {
                Llama.llama_log_set((IntPtr)(delegate* unmanaged[Cdecl]<int, byte*, IntPtr, void>)&OnLog, IntPtr.Zero);
            }
            Llama.llama_backend_init();
            // Without a loaded backend every model load fails; the argument-less variant searches the wrong folders under dotnet.
            Llama.ggml_backend_load_all_from_path(libDir);
            s_backend = DetectBackend();
            return s_backend;
        }
    }

    /// <summary>Verifies the managed struct mirrors against the sizes of the pinned header.</summary>
    public static void CheckStructSizes()
    {
        var model = Unsafe.SizeOf<llama_model_params>();
        var context = Unsafe.SizeOf<llama_context_params>();
        var batch = Unsafe.SizeOf<llama_batch>();
        if (model != ExpectedModelParamsSize || context != ExpectedContextParamsSize || batch != ExpectedBatchSize)
        {
            throw new ModelException(
                $"Internal error: llama.cpp struct layout mismatch (llama_model_params {model}/{ExpectedModelParamsSize}, " +
                $"llama_context_params {context}/{ExpectedContextParamsSize}, llama_batch {batch}/{ExpectedBatchSize}). " +
                "The binding must match the pinned llama.h.");
        }
    }

    /// <summary>Sizes of the struct mirrors, for the startup self-check and its test.</summary>
    public static (int ModelParams, int ContextParams, int Batch) StructSizes =>
        (Unsafe.SizeOf<llama_model_params>(), Unsafe.SizeOf<llama_context_params>(), Unsafe.SizeOf<llama_batch>());

    /// <summary>llama_version() of the loaded library.</summary>
    public static string NativeVersion
    {
        get
        {
            EnsureInitialized();
            return Marshal.PtrToStringUTF8(Llama.llama_version()) ?? "";
        }
    }

    /// <summary>Number of physical cores (hyper-threads counted once), the default thread count.</summary>
    public static int PhysicalCoreCount()
    {
        try
        {
            var cores = new HashSet<(string, string)>();
            string physical = "0";
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                var colon = line.IndexOf(':');
                if (colon < 0)
                {
                    continue;
                }
                var key = line[..colon].Trim();
                var value = line[(colon + 1)..].Trim();
                if (key == "physical id")
                {
                    physical = value;
                }
                else if (key == "core id")
                {
                    cores.Add((physical, value));
                }
            }
            if (cores.Count > 0)
            {
                return Math.Min(cores.Count, Environment.ProcessorCount);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return Environment.ProcessorCount;
    }

    private static BackendInfo DetectBackend()
    {
        var devices = new List<string>();
        string? gpu = null;
        long gpuMemory = 0;
        var count = (long)Llama.ggml_backend_dev_count();
        for (long i = 0; i < count; i++)
        {
            var device = Llama.ggml_backend_dev_get((nuint)i);
            if (device == IntPtr.Zero)
            {
                continue;
            }
            var name = Marshal.PtrToStringUTF8(Llama.ggml_backend_dev_name(device)) ?? "?";
            var description = Marshal.PtrToStringUTF8(Llama.ggml_backend_dev_description(device)) ?? "";
            devices.Add($"{name} ({description})");
            var type = Llama.ggml_backend_dev_type(device);
            if (gpu is null && (type == LlamaConstants.GGML_BACKEND_DEVICE_TYPE_GPU))
            {
                gpu = $"{name} ({description})";
                Llama.ggml_backend_dev_memory(device, out _, out var total);
                gpuMemory = (long)total;
            }
        }
        return gpu is not null
            ? new BackendInfo(BackendKind.Cuda, gpu, gpuMemory, devices)
            : new BackendInfo(BackendKind.Cpu, "CPU", 0, devices);
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        var path = FindLibrary(LibraryDirectory, libraryName);
        if (path is not null && NativeLibrary.TryLoad(path, out var handle))
        {
            return handle;
        }
        return IntPtr.Zero; // fall back to the default probing
    }

    /// <summary>Finds lib{name}.so or a versioned variant such as lib{name}.v0.5.0.so / lib{name}.so.0.</summary>
    internal static string? FindLibrary(string directory, string name)
    {
        if (!Directory.Exists(directory))
        {
            return null;
        }
        var exact = Path.Combine(directory, $"lib{name}.so");
        if (File.Exists(exact))
        {
            return exact;
        }
        var candidates = Directory.GetFiles(directory, $"lib{name}.*so*")
            .Where(p =>
            {
                var file = Path.GetFileName(p);
                var rest = file[(3 + name.Length)..];
                return rest.StartsWith(".so.", StringComparison.Ordinal) || (rest.StartsWith(".v", StringComparison.Ordinal) && rest.EndsWith(".so", StringComparison.Ordinal));
            })
            .OrderBy(p => p.Length)
            .ToList();
        return candidates.FirstOrDefault();
    }

    /// <summary>Collects the calling thread's llama.cpp warnings and errors until disposed.</summary>
    internal readonly struct LogCapture : IDisposable
    {
        private readonly StringBuilder? _previous;

        private LogCapture(StringBuilder? previous) => _previous = previous;

        public static LogCapture Start()
        {
            var previous = t_capture;
            t_capture = new StringBuilder();
            return new LogCapture(previous);
        }

        public string Text => t_capture?.ToString().Trim() ?? "";

        public void Dispose() => t_capture = _previous;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe void OnLog(int level, byte* text, IntPtr userData)
    {
        try
        {
            var message = Marshal.PtrToStringUTF8((IntPtr)text) ?? "";
            var capture = t_capture;
            if (capture is not null && (level == LlamaConstants.GGML_LOG_LEVEL_ERROR || level == LlamaConstants.GGML_LOG_LEVEL_WARN))
            {
                capture.Append(message);
                if (!message.EndsWith('\n'))
                {
                    capture.Append('\n');
                }
            }
            if (level >= (int)LogLevel.Info && level <= (int)LogLevel.Error)
            {
                LogSink?.Invoke((LogLevel)level, message.TrimEnd());
            }
        }
        catch
        {
            // An exception must never unwind into native code.
        }
    }
}

public enum BackendKind { Cpu, Cuda }

/// <summary>Which compute backend llama.cpp will use, for <c>codeassist/status</c> and <c>model info</c>.</summary>
public sealed record BackendInfo(BackendKind Kind, string Device, long GpuMemoryBytes, IReadOnlyList<string> Devices)
{
    public string Name => Kind == BackendKind.Cuda ? "cuda" : "cpu";
}

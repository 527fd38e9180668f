using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CodeAssist.Models.Tests;

/// <summary>A real llama-server from the build's bin/ serving a model on 127.0.0.1 and a free port; killed on dispose.</summary>
public sealed class LlamaServerProcess : IDisposable
{
    private readonly Process _process;

    public static string ExecutablePath => Path.Combine(LlamaLibrary.InstallDirectory, "bin", "llama-server");

    public LlamaServerProcess(string modelPath)
    {
        Port = FreePort();
        var start = new ProcessStartInfo(ExecutablePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-m", modelPath, "--host", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c", "2048", "-t", "2", "-np", "1", "--no-webui" })
        {
            start.ArgumentList.Add(argument);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("llama-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        BaseUrl = new Uri($"http://127.0.0.1:{Port}/");
        WaitUntilHealthy();
    }

    public int Port { get; }
    public Uri BaseUrl { get; }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private void WaitUntilHealthy()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"llama-server exited with code {_process.ExitCode}.");
            }
            try
            {
                if (client.GetAsync(new Uri(BaseUrl, "health")).GetAwaiter().GetResult().IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            Thread.Sleep(100);
        }
        throw new TimeoutException("llama-server did not become healthy within 60 s.");
    }

    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}

/// <summary>A fact that is skipped, with the reason, when llama-server was not built (the LLAMA_PREBUILT=1 fallback has none).</summary>
public sealed class LlamaServerFactAttribute : FactAttribute
{
    public LlamaServerFactAttribute()
    {
        if (!File.Exists(LlamaServerProcess.ExecutablePath))
        {
            Skip = $"llama-server was not built ({LlamaServerProcess.ExecutablePath} is missing; the LLAMA_PREBUILT=1 fallback has no tools). Run eng/llama/build.sh with cmake and g++ available.";
        }
    }
}

/// <summary>One llama-server for the remote tests that do not kill it.</summary>
public sealed class SharedLlamaServer : IDisposable
{
    private readonly Lazy<LlamaServerProcess> _server;

    public SharedLlamaServer(TinyModel tiny) => _server = new Lazy<LlamaServerProcess>(() => new LlamaServerProcess(tiny.ModelPath));

    public LlamaServerProcess Server => _server.Value;

    public void Dispose()
    {
        if (_server.IsValueCreated)
        {
            _server.Value.Dispose();
        }
    }
}

using System.Net;

namespace CodeAssist.Models;

/// <summary>A model <c>codeassist model pull NAME</c> knows how to fetch.</summary>
public sealed record CatalogEntry(string Name, Uri Url, string FileName, string Description);

/// <summary>Download progress: bytes so far and the total when the server sent one.</summary>
public readonly record struct DownloadProgress(long BytesReceived, long? TotalBytes)
{
    public double? Fraction => TotalBytes is > 0 ? (double)BytesReceived / TotalBytes.Value : null;
}

/// <summary>
/// Known GGUF models by short name, downloaded to ~/.cache/codeassist/models (or a given directory). A download goes to
/// a ".partial" file renamed at the end, so an interrupted pull never leaves a truncated model under the final name.
/// Offline, the error names the URL to fetch by hand and the path to put the file at.
/// </summary>
public sealed class ModelCatalog
{
    /// <summary>Base (not instruct) coder models with FIM, Q8_0, from ggml-org's Hugging Face mirrors.</summary>
    public static IReadOnlyList<CatalogEntry> DefaultEntries { get; } =
    [
        Entry("qwen2.5-coder-0.5b", "ggml-org/Qwen2.5-Coder-0.5B-Q8_0-GGUF", "qwen2.5-coder-0.5b-q8_0.gguf", "Qwen2.5-Coder 0.5B base, Q8_0 (~0.5 GB)"),
        Entry("qwen2.5-coder-1.5b", "ggml-org/Qwen2.5-Coder-1.5B-Q8_0-GGUF", "qwen2.5-coder-1.5b-q8_0.gguf", "Qwen2.5-Coder 1.5B base, Q8_0 (~1.6 GB)"),
        Entry("qwen2.5-coder-3b", "ggml-org/Qwen2.5-Coder-3B-Q8_0-GGUF", "qwen2.5-coder-3b-q8_0.gguf", "Qwen2.5-Coder 3B base, Q8_0 (~3.3 GB)"),
        Entry("qwen2.5-coder-7b", "ggml-org/Qwen2.5-Coder-7B-Q8_0-GGUF", "qwen2.5-coder-7b-q8_0.gguf", "Qwen2.5-Coder 7B base, Q8_0 (~8.1 GB)"),
    ];

    private static CatalogEntry Entry(string name, string repository, string file, string description) =>
        new(name, new Uri($"https://huggingface.co/{repository}/resolve/main/{file}"), file, description);

    private readonly HttpMessageHandler? _handler;

    public ModelCatalog(string? directory = null, IReadOnlyList<CatalogEntry>? entries = null, HttpMessageHandler? handler = null)
    {
        Directory = directory ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "codeassist", "models");
        Entries = entries ?? DefaultEntries;
        _handler = handler;
    }

    public string Directory { get; }
    public IReadOnlyList<CatalogEntry> Entries { get; }

    public CatalogEntry Find(string name) =>
        Entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ModelException($"Unknown model '{name}'. Known models: {string.Join(", ", Entries.Select(e => e.Name))}. Or pass the path of any GGUF file.");

    /// <summary>Where a catalog model lives once pulled.</summary>
    public string PathOf(CatalogEntry entry) => Path.Combine(Directory, entry.FileName);

    /// <summary>Downloads the model unless it is already there; returns its path.</summary>
    public async Task<string> PullAsync(string name, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var entry = Find(name);
        var destination = PathOf(entry);
        if (File.Exists(destination))
        {
            return destination;
        }
        System.IO.Directory.CreateDirectory(Directory);
        var partial = destination + ".partial";
        using var client = _handler is null ? new HttpClient() : new HttpClient(_handler, disposeHandler: false);
        client.Timeout = Timeout.InfiniteTimeSpan;
        try
        {
            using var response = await client.GetAsync(entry.Url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new ModelException($"{entry.Url} answered {(int)response.StatusCode} {response.StatusCode}. {ManualHint(entry, destination)}");
            }
            var total = response.Content.Headers.ContentLength;
            await using (var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false))
            await using (var target = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true))
            {
                var buffer = new byte[1 << 20];
                long received = 0;
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    received += read;
                    progress?.Report(new DownloadProgress(received, total));
                }
                if (total is { } expected && received != expected)
                {
                    throw new ModelException($"The download of {entry.Url} stopped at {received:N0} of {expected:N0} bytes. {ManualHint(entry, destination)}");
                }
            }
            File.Move(partial, destination, overwrite: true);
            return destination;
        }
        catch (HttpRequestException exception)
        {
            throw new ModelException($"Could not download {entry.Name}: {exception.Message}. {ManualHint(entry, destination)}", inner: exception);
        }
        catch (IOException exception)
        {
            throw new ModelException($"The download of {entry.Url} failed: {exception.Message}. {ManualHint(entry, destination)}", inner: exception);
        }
        finally
        {
            if (File.Exists(partial))
            {
                File.Delete(partial);
            }
        }
    }

    private static string ManualHint(CatalogEntry entry, string destination) =>
        $"Without internet access, download {entry.Url} on another machine and copy it to {destination}.";
}

using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CodeAssist.Models.Tests;

public sealed class ModelCatalogTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"codeassist-catalog-{Guid.NewGuid():N}");

    [Fact]
    public void KnowsQwenCoder()
    {
        var entry = new ModelCatalog(_directory).Find("qwen2.5-coder-1.5b");
        Assert.Equal("https", entry.Url.Scheme);
        Assert.EndsWith(".gguf", entry.FileName);
    }

    [Fact]
    public void UnknownNameListsTheKnownOnes()
    {
        var error = Assert.Throws<ModelException>(() => new ModelCatalog(_directory).Find("gpt-17"));
        Assert.Contains("qwen2.5-coder-1.5b", error.Message);
    }

    [Fact]
    public async Task OfflineNamesTheUrlAndWhereToPutTheFile()
    {
        // A port nobody listens on stands in for "no network": the request fails at connect.
        var url = new Uri($"http://127.0.0.1:{LlamaServerProcess.FreePort()}/model.gguf");
        var catalog = new ModelCatalog(_directory, [new CatalogEntry("m", url, "m.gguf", "test")]);
        var error = await Assert.ThrowsAsync<ModelException>(() => catalog.PullAsync("m", null, CancellationToken.None));
        Assert.Contains(url.ToString(), error.Message);
        Assert.Contains(Path.Combine(_directory, "m.gguf"), error.Message);
        Assert.False(File.Exists(Path.Combine(_directory, "m.gguf")));
    }

    [Fact]
    public async Task DownloadsWithProgressFromALoopbackServer()
    {
        var payload = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("GGUF-bytes;", 50_000)));
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serve = Task.Run(async () =>
        {
            using var socket = await listener.AcceptTcpClientAsync();
            await using var stream = socket.GetStream();
            var buffer = new byte[4096];
            // Read the request head; its contents do not matter here.
            var head = new StringBuilder();
            while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer);
                if (read == 0)
                {
                    return;
                }
                head.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            var header = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(header);
            await stream.WriteAsync(payload);
        });
        try
        {
            var catalog = new ModelCatalog(_directory, [new CatalogEntry("m", new Uri($"http://127.0.0.1:{port}/m.gguf"), "m.gguf", "test")]);
            var reports = new List<DownloadProgress>();
            var path = await catalog.PullAsync("m", new SynchronousProgress<DownloadProgress>(reports.Add), CancellationToken.None);
            await serve;
            Assert.Equal(payload, await File.ReadAllBytesAsync(path));
            Assert.NotEmpty(reports);
            Assert.Equal(1.0, reports[^1].Fraction);
            // Already there: no second download.
            Assert.Equal(path, await catalog.PullAsync("m", null, CancellationToken.None));
        }
        finally
        {
            listener.Stop();
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}

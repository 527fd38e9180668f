using System.Text;
using System.Text.Json;

namespace CodeAssist.Lsp.Tests;

public sealed class MessageWriterTests
{
    private const string Code = "var s = \"é<T>&'+\" + \"😀\\n\";\r\n\u0001";

    [Fact]
    public async Task Code_is_written_as_editors_write_it_with_only_quotes_backslashes_and_controls_escaped()
    {
        var stream = new MemoryStream();
        await new MessageWriter(stream).WriteNotificationAsync("text", writer => writer.WriteStringValue(Code + "\ud800"));

        string frame = Encoding.UTF8.GetString(stream.ToArray());
        int bodyStart = frame.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        string body = frame[bodyStart..];
        Assert.Equal($"Content-Length: {Encoding.UTF8.GetByteCount(body)}", frame[..(bodyStart - 4)]);
        Assert.Contains("\"params\":\"var s = \\\"é<T>&'+\\\" + \\\"\\uD83D\\uDE00\\\\n\\\";\\r\\n\\u0001\\uFFFD\"", body);
        Assert.Equal(Code + "\uFFFD", JsonDocument.Parse(body).RootElement.GetProperty("params").GetString());
    }

    [Fact]
    public async Task Results_are_written_the_same_way()
    {
        var handlers = new HandlerTable<int>()
            .Request("initialize", mutates: true, TestJson.Default.JsonElement, TestJson.Default.JsonElement,
                (_, _, _) => Task.FromResult(LspPeer<int>.Json("{\"capabilities\":{}}")))
            .Notification("initialized", mutates: true, TestJson.Default.JsonElement, (_, _, _) => Task.CompletedTask)
            .Request("code", mutates: false, TestJson.Default.JsonElement, TestJson.Default.String, (_, _, _) => Task.FromResult(Code));
        await using var peer = new LspPeer<int>(handlers, () => 0);
        await peer.InitializeAsync();

        var result = await peer.RequestAsync("code");

        Assert.Equal("\"var s = \\\"é<T>&'+\\\" + \\\"\\uD83D\\uDE00\\\\n\\\";\\r\\n\\u0001\"", result.GetRawText());
        Assert.Equal(Code, result.GetString());
    }
}

using System.Text;

namespace CodeAssist.Lsp.Tests;

public sealed class MessageReaderTests
{
    private static byte[] FrameOf(string body, string? header = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        return [.. Encoding.ASCII.GetBytes(header ?? $"Content-Length: {bytes.Length}\r\n\r\n"), .. bytes];
    }

    /// <summary>Reads every frame, rendering each as its body or as <c>!error</c>.</summary>
    private static async Task<List<string>> ReadAllAsync(byte[] input, int chunk = int.MaxValue)
    {
        var reader = new MessageReader(new ChunkedStream(input, chunk));
        var frames = new List<string>();
        while (await reader.ReadAsync(CancellationToken.None) is { } frame)
        {
            frames.Add(frame.Body is { } body ? Encoding.UTF8.GetString(body) : "!" + frame.Error);
        }
        return frames;
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)]
    [InlineData(7)]
    public async Task Frames_are_read_whole_however_the_bytes_arrive(int chunk)
    {
        var input = FrameOf("{\"a\":1}").Concat(FrameOf("{\"b\":\"é😀\"}")).ToArray();

        Assert.Equal(["{\"a\":1}", "{\"b\":\"é😀\"}"], await ReadAllAsync(input, chunk));
    }

    [Fact]
    public async Task Header_names_are_case_insensitive_and_other_headers_are_allowed()
    {
        var input = FrameOf("{}", "content-length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n")
            .Concat(FrameOf("[]", "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: 2\r\n\r\n")).ToArray();

        Assert.Equal(["{}", "[]"], await ReadAllAsync(input, chunk: 5));
    }

    [Fact]
    public async Task A_header_without_content_length_is_reported_and_the_next_frame_is_read()
    {
        var input = FrameOf("{\"lost\":1}", "Content-Type: x\r\n\r\n").Concat(FrameOf("{\"kept\":1}")).ToArray();

        Assert.Equal(["!missing Content-Length header", "{\"kept\":1}"], await ReadAllAsync(input));
    }

    [Theory]
    [InlineData("Content-Length: abc\r\n\r\n", "!invalid Content-Length 'abc'")]
    [InlineData("Content-Length: -5\r\n\r\n", "!invalid Content-Length '-5'")]
    [InlineData("Content-Length: 2\r\nno colon here\r\n\r\n", "!malformed header line 'no colon here'")]
    public async Task An_unusable_header_is_reported_and_reading_resumes_at_the_next_header(string header, string expected)
    {
        var input = FrameOf("{}", header).Concat(FrameOf("{\"next\":true}")).ToArray();

        var frames = await ReadAllAsync(input);

        Assert.Equal(expected, frames[0]);
        Assert.Equal("{\"next\":true}", frames[^1]);
    }

    [Fact]
    public async Task A_content_length_too_short_leaves_bytes_that_are_skipped_and_reported_once()
    {
        var input = FrameOf("{\"a\":123}", "Content-Length: 4\r\n\r\n").Concat(FrameOf("{\"next\":1}")).ToArray();

        Assert.Equal(["{\"a\"", "!bytes outside any frame were skipped (a wrong Content-Length or a missing header)", "{\"next\":1}"],
            await ReadAllAsync(input));
    }

    [Fact]
    public async Task Whitespace_between_frames_is_ignored_silently()
    {
        var input = FrameOf("{}").Concat("\r\n \n"u8.ToArray()).Concat(FrameOf("[]")).ToArray();

        Assert.Equal(["{}", "[]"], await ReadAllAsync(input, chunk: 3));
    }

    [Fact]
    public async Task A_frame_cut_short_by_the_end_of_the_stream_ends_reading()
    {
        var input = FrameOf("{}").Concat(FrameOf("{\"truncated\":true}")[..25]).ToArray();

        Assert.Equal(["{}"], await ReadAllAsync(input));
    }

    [Fact]
    public async Task A_body_over_the_limit_is_skipped_without_buffering_and_reported()
    {
        var header = $"Content-Length: {MessageReader.MaxBodyBytes + 1}\r\n\r\n";
        var input = new ConcatStream(Encoding.ASCII.GetBytes(header), MessageReader.MaxBodyBytes + 1, FrameOf("{}"));
        var reader = new MessageReader(input);

        var first = await reader.ReadAsync(CancellationToken.None);
        var second = await reader.ReadAsync(CancellationToken.None);

        Assert.Contains("larger than the limit", first!.Value.Error);
        Assert.Equal("{}", Encoding.UTF8.GetString(second!.Value.Body!));
    }

    /// <summary>Hands out its bytes at most <c>chunk</c> at a time, as a pipe under load does.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }

    /// <summary>A header, then <c>fillerLength</c> zero bytes generated on the fly, then a tail.</summary>
    private sealed class ConcatStream(byte[] head, long fillerLength, byte[] tail) : Stream
    {
        private long _position;

        public override int Read(byte[] buffer, int offset, int count)
        {
            var total = head.Length + fillerLength + tail.Length;
            var n = (int)Math.Min(count, total - _position);
            for (var i = 0; i < n; i++, _position++)
            {
                buffer[offset + i] = _position < head.Length ? head[_position]
                    : _position < head.Length + fillerLength ? (byte)0
                    : tail[_position - head.Length - fillerLength];
            }
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

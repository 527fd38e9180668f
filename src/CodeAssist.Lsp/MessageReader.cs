using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace CodeAssist.Lsp;

/// <summary>
/// Reads base-protocol frames (<c>Content-Length</c> header, blank line, body) from a byte stream and
/// recovers from broken ones: a frame whose header cannot be used is reported as a <see cref="Frame"/>
/// with an error, and reading resumes at the next <c>Content-Length</c> header, so one bad frame never
/// costs the messages after it.
/// </summary>
public sealed class MessageReader
{
    /// <summary>Bodies above this are skipped (and reported) rather than buffered.</summary>
    public const int MaxBodyBytes = 128 * 1024 * 1024;

    private const int MaxHeaderBytes = 16 * 1024;
    private static readonly byte[] s_contentLength = "content-length"u8.ToArray();
    private static readonly byte[] s_contentType = "content-type"u8.ToArray();
    private static readonly byte[] s_headerEnd = "\r\n\r\n"u8.ToArray();

    private readonly PipeReader _input;

    /// <summary>Set after a header was reported broken: the body behind it is skipped without a second report.</summary>
    private bool _skippingBrokenBody;

    public MessageReader(Stream input)
    {
        _input = PipeReader.Create(input, new StreamPipeReaderOptions(bufferSize: 64 * 1024));
    }

    /// <summary>The next frame, or null once the stream has ended (a frame cut short by the end is dropped).</summary>
    public async ValueTask<Frame?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;

            switch (SkipToHeader(ref buffer))
            {
                case Skip.SkippedText:
                    // Examined only up to here: the header that follows may already be in the buffer.
                    _input.AdvanceTo(buffer.Start);
                    if (_skippingBrokenBody)
                    {
                        _skippingBrokenBody = false;
                        continue;
                    }
                    return Frame.Broken("bytes outside any frame were skipped (a wrong Content-Length or a missing header)");
                case Skip.NeedMore:
                    _input.AdvanceTo(buffer.Start, buffer.End);
                    if (result.IsCompleted)
                    {
                        return null;
                    }
                    continue;
            }

            var headerEnd = IndexOf(buffer, s_headerEnd);
            if (headerEnd < 0)
            {
                if (buffer.Length > MaxHeaderBytes)
                {
                    _input.AdvanceTo(buffer.GetPosition(s_contentLength.Length));
                    return Frame.Broken("header block too long");
                }
                if (result.IsCompleted)
                {
                    _input.AdvanceTo(buffer.End);
                    return null;
                }
                _input.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            var headerLength = headerEnd + s_headerEnd.Length;
            var header = Encoding.ASCII.GetString(buffer.Slice(0, headerEnd));
            _skippingBrokenBody = false;
            if (!TryParseContentLength(header, out var length, out var error))
            {
                _skippingBrokenBody = true;
                _input.AdvanceTo(buffer.GetPosition(headerLength));
                return Frame.Broken(error);
            }

            if (length > MaxBodyBytes)
            {
                _input.AdvanceTo(buffer.GetPosition(headerLength));
                await SkipAsync(length, cancellationToken).ConfigureAwait(false);
                return Frame.Broken($"message of {length} bytes is larger than the limit of {MaxBodyBytes}");
            }

            if (buffer.Length < headerLength + length)
            {
                if (result.IsCompleted)
                {
                    _input.AdvanceTo(buffer.End);
                    return null;
                }
                _input.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            var body = buffer.Slice(headerLength, length).ToArray();
            _input.AdvanceTo(buffer.GetPosition(headerLength + length));
            return Frame.Of(body);
        }
    }

    private enum Skip { AtHeader, NeedMore, SkippedText }

    /// <summary>
    /// Drops whatever precedes the next header (<c>Content-Length</c> or <c>Content-Type</c>), keeping a tail that may be the start
    /// of a header cut by the buffer's end. Dropped whitespace is not worth reporting; anything else is.
    /// </summary>
    private static Skip SkipToHeader(ref ReadOnlySequence<byte> buffer)
    {
        if (StartsWithHeader(buffer))
        {
            return Skip.AtHeader;
        }
        var length = IndexOfIgnoreCase(buffer, s_contentLength);
        var type = IndexOfIgnoreCase(buffer, s_contentType);
        var found = length < 0 ? type : type < 0 ? length : Math.Min(length, type);
        var drop = found >= 0 ? found : Math.Max(0, buffer.Length - (s_contentLength.Length - 1));
        var skippedText = false;
        foreach (var segment in buffer.Slice(0, drop))
        {
            skippedText |= segment.Span.IndexOfAnyExcept(" \r\n\t"u8) >= 0;
        }
        buffer = buffer.Slice(drop);
        if (skippedText)
        {
            return Skip.SkippedText;
        }
        return found >= 0 ? Skip.AtHeader : Skip.NeedMore;
    }

    private static bool StartsWithHeader(ReadOnlySequence<byte> buffer) =>
        (buffer.Length >= s_contentLength.Length && IsPrefixIgnoreCase(buffer, s_contentLength))
        || (buffer.Length >= s_contentType.Length && IsPrefixIgnoreCase(buffer, s_contentType));

    private static bool TryParseContentLength(string header, out int length, out string error)
    {
        length = -1;
        foreach (var line in header.Split("\r\n"))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                error = $"malformed header line '{Truncate(line)}'";
                return false;
            }
            if (line.AsSpan(0, colon).Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (!int.TryParse(line.AsSpan(colon + 1).Trim(), out length) || length < 0)
                {
                    error = $"invalid Content-Length '{Truncate(line[(colon + 1)..].Trim())}'";
                    return false;
                }
            }
        }
        if (length < 0)
        {
            error = "missing Content-Length header";
            return false;
        }
        error = "";
        return true;
    }

    private async ValueTask SkipAsync(long count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            var result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var take = Math.Min(count, result.Buffer.Length);
            _input.AdvanceTo(result.Buffer.GetPosition(take));
            count -= take;
            if (result.IsCompleted && take == 0)
            {
                return;
            }
        }
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";

    /// <summary>True when the buffer's bytes are a (possibly partial) case-insensitive prefix of the pattern.</summary>
    private static bool IsPrefixIgnoreCase(ReadOnlySequence<byte> buffer, byte[] lowerAscii)
    {
        var reader = new SequenceReader<byte>(buffer);
        for (var i = 0; i < lowerAscii.Length && reader.TryRead(out var b); i++)
        {
            if (ToLower(b) != lowerAscii[i])
            {
                return false;
            }
        }
        return true;
    }

    private static long IndexOf(ReadOnlySequence<byte> buffer, byte[] pattern)
    {
        var reader = new SequenceReader<byte>(buffer);
        return reader.TryReadTo(out ReadOnlySequence<byte> before, pattern, advancePastDelimiter: false) ? before.Length : -1;
    }

    private static long IndexOfIgnoreCase(ReadOnlySequence<byte> buffer, byte[] lowerAscii)
    {
        // Headers are short and rare next to bodies; a plain scan over the flattened bytes is enough.
        var bytes = buffer.IsSingleSegment ? buffer.FirstSpan : buffer.ToArray();
        for (var i = 0; i + lowerAscii.Length <= bytes.Length; i++)
        {
            var match = true;
            for (var j = 0; j < lowerAscii.Length; j++)
            {
                if (ToLower(bytes[i + j]) != lowerAscii[j])
                {
                    match = false;
                    break;
                }
            }
            if (match)
            {
                return i;
            }
        }
        return -1;
    }

    private static byte ToLower(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 32) : b;
}

/// <summary>One frame's body, or the reason a frame could not be read.</summary>
public readonly record struct Frame(byte[]? Body, string? Error)
{
    public static Frame Of(byte[] body) => new(body, null);
    public static Frame Broken(string error) => new(null, error);
}

using System.Text;

namespace CodeAssist.Models.Gguf;

/// <summary>GGUF value types (gguf.h <c>enum gguf_type</c>).</summary>
public enum GgufType : uint
{
    UInt8 = 0, Int8 = 1, UInt16 = 2, Int16 = 3, UInt32 = 4, Int32 = 5, Float32 = 6, Bool = 7,
    String = 8, Array = 9, UInt64 = 10, Int64 = 11, Float64 = 12,
}

/// <summary>A metadata value: its type and a boxed .NET value (arrays as <see cref="GgufArray"/>).</summary>
public sealed record GgufValue(GgufType Type, object Value)
{
    public long? AsInteger => Value switch
    {
        byte v => v, sbyte v => v, ushort v => v, short v => v, uint v => v, int v => v, ulong v => (long)v, long v => v, bool v => v ? 1 : 0,
        _ => null,
    };

    public string? AsString => Value as string;
}

/// <summary>A typed GGUF array; <see cref="Items"/> holds the element values.</summary>
public sealed record GgufArray(GgufType ElementType, IReadOnlyList<object> Items);

public sealed record GgufTensorInfo(string Name, IReadOnlyList<ulong> Dimensions, uint Type, ulong Offset)
{
    public ulong ElementCount => Dimensions.Aggregate(1UL, (a, b) => a * b);
}

/// <summary>
/// Reads a GGUF header (metadata and tensor directory) without llama.cpp, so <c>model info</c> and the load
/// pre-checks work on files llama.cpp would refuse, and give a readable reason for damaged ones.
/// Format: magic "GGUF", version, tensor count, metadata count, metadata, tensor infos, aligned tensor data.
/// </summary>
public sealed class GgufFile
{
    public const uint Magic = 0x46554747; // "GGUF" little-endian
    private const int MaxStringBytes = 64 * 1024 * 1024;

    public required uint Version { get; init; }
    public required IReadOnlyDictionary<string, GgufValue> Metadata { get; init; }
    public required IReadOnlyList<GgufTensorInfo> Tensors { get; init; }
    public required long DataOffset { get; init; }
    public required long FileSize { get; init; }
    /// <summary>Bytes of header, metadata and tensor directory (a vocabulary-only file ends here).</summary>
    public required long HeaderSize { get; init; }

    public string? GetString(string key) => Metadata.TryGetValue(key, out var value) ? value.AsString : null;

    public long? GetInteger(string key) => Metadata.TryGetValue(key, out var value) ? value.AsInteger : null;

    public string? Architecture => GetString("general.architecture");

    /// <summary>Reads and validates the header; throws <see cref="ModelException"/> with a user-facing reason.</summary>
    public static GgufFile Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new ModelException($"Model file not found: {path}.");
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var fileSize = stream.Length;
        if (fileSize < 4)
        {
            throw new ModelException($"{path} is not a GGUF model file (it is {(fileSize == 0 ? "empty" : "too short")}).");
        }
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            var magic = reader.ReadUInt32();
            if (magic != Magic)
            {
                throw new ModelException($"{path} is not a GGUF model file (it does not start with \"GGUF\"). Download a .gguf build of the model.");
            }
            var version = reader.ReadUInt32();
            if (version is < 2 or > 3)
            {
                throw new ModelException($"{path} uses GGUF version {version}; only versions 2 and 3 are supported.");
            }
            var tensorCount = reader.ReadUInt64();
            var metadataCount = reader.ReadUInt64();
            if (tensorCount > 1_000_000 || metadataCount > 1_000_000)
            {
                throw new ModelException($"{path} has a corrupted GGUF header (implausible counts).");
            }
            var metadata = new Dictionary<string, GgufValue>(StringComparer.Ordinal);
            for (ulong i = 0; i < metadataCount; i++)
            {
                var key = ReadString(reader, fileSize);
                var type = (GgufType)reader.ReadUInt32();
                metadata[key] = new GgufValue(type, ReadValue(reader, type, fileSize));
            }
            var tensors = new List<GgufTensorInfo>((int)tensorCount);
            for (ulong i = 0; i < tensorCount; i++)
            {
                var name = ReadString(reader, fileSize);
                var dimensionCount = reader.ReadUInt32();
                if (dimensionCount > 8)
                {
                    throw new ModelException($"{path} has a corrupted GGUF tensor directory.");
                }
                var dimensions = new ulong[dimensionCount];
                for (var d = 0; d < dimensionCount; d++)
                {
                    dimensions[d] = reader.ReadUInt64();
                }
                var tensorType = reader.ReadUInt32();
                var offset = reader.ReadUInt64();
                tensors.Add(new GgufTensorInfo(name, dimensions, tensorType, offset));
            }
            var alignment = metadata.TryGetValue("general.alignment", out var alignValue) && alignValue.AsInteger is long a && a > 0 ? a : 32;
            var dataOffset = (stream.Position + alignment - 1) / alignment * alignment;
            var file = new GgufFile { Version = version, Metadata = metadata, Tensors = tensors, DataOffset = dataOffset, FileSize = fileSize, HeaderSize = stream.Position };
            var needed = file.RequiredFileSize();
            if (needed > fileSize)
            {
                throw new ModelException($"{path} is truncated: its tensors need {needed:N0} bytes but the file has {fileSize:N0}. Download it again.");
            }
            return file;
        }
        catch (EndOfStreamException)
        {
            throw new ModelException($"{path} is truncated or its GGUF header is corrupted. Download it again.");
        }
    }

    /// <summary>The file size the tensor directory implies (data offset + the end of the furthest tensor).</summary>
    public long RequiredFileSize()
    {
        long end = Tensors.Count == 0 ? HeaderSize : DataOffset;
        foreach (var tensor in Tensors)
        {
            var bytes = TensorBytes(tensor.Type, tensor.ElementCount);
            end = Math.Max(end, DataOffset + (long)tensor.Offset + (bytes ?? 0));
        }
        return end;
    }

    /// <summary>Bytes of a tensor of a ggml type, or null for a type this table does not know.</summary>
    public static long? TensorBytes(uint type, ulong elements)
    {
        (int blockBytes, int blockSize)? block = type switch
        {
            0 => (4, 1), 1 => (2, 1), 2 => (18, 32), 3 => (20, 32), 6 => (22, 32), 7 => (24, 32), 8 => (34, 32), 9 => (36, 32),
            10 => (84, 256), 11 => (110, 256), 12 => (144, 256), 13 => (176, 256), 14 => (210, 256), 15 => (292, 256),
            16 => (66, 256), 17 => (74, 256), 18 => (98, 256), 19 => (50, 256), 20 => (18, 32), 21 => (110, 256),
            22 => (82, 256), 23 => (136, 256), 24 => (1, 1), 25 => (2, 1), 26 => (4, 1), 27 => (8, 1), 28 => (8, 1),
            29 => (56, 256), 30 => (2, 1), 34 => (54, 256), 35 => (66, 256), 39 => (17, 32),
            _ => null,
        };
        return block is { } b ? (long)(elements / (ulong)b.blockSize) * b.blockBytes : null;
    }

    private static string ReadString(BinaryReader reader, long fileSize)
    {
        var length = reader.ReadUInt64();
        if (length > MaxStringBytes || (long)length > fileSize - reader.BaseStream.Position)
        {
            if ((long)length > fileSize - reader.BaseStream.Position)
            {
                throw new EndOfStreamException();
            }
            throw new ModelException("The GGUF header is corrupted (a string is implausibly long).");
        }
        var bytes = reader.ReadBytes((int)length);
        if (bytes.Length != (int)length)
        {
            throw new EndOfStreamException();
        }
        return Encoding.UTF8.GetString(bytes);
    }

    private static object ReadValue(BinaryReader reader, GgufType type, long fileSize) => type switch
    {
        GgufType.UInt8 => reader.ReadByte(),
        GgufType.Int8 => reader.ReadSByte(),
        GgufType.UInt16 => reader.ReadUInt16(),
        GgufType.Int16 => reader.ReadInt16(),
        GgufType.UInt32 => reader.ReadUInt32(),
        GgufType.Int32 => reader.ReadInt32(),
        GgufType.Float32 => reader.ReadSingle(),
        GgufType.Bool => reader.ReadByte() != 0,
        GgufType.String => ReadString(reader, fileSize),
        GgufType.UInt64 => reader.ReadUInt64(),
        GgufType.Int64 => reader.ReadInt64(),
        GgufType.Float64 => reader.ReadDouble(),
        GgufType.Array => ReadArray(reader, fileSize),
        _ => throw new ModelException($"The GGUF header is corrupted (unknown value type {(uint)type})."),
    };

    private static GgufArray ReadArray(BinaryReader reader, long fileSize)
    {
        var elementType = (GgufType)reader.ReadUInt32();
        var count = reader.ReadUInt64();
        if (count > (ulong)(fileSize - reader.BaseStream.Position))
        {
            throw new EndOfStreamException();
        }
        var items = new object[count];
        for (ulong i = 0; i < count; i++)
        {
            items[i] = ReadValue(reader, elementType, fileSize);
        }
        return new GgufArray(elementType, items);
    }
}

using System.Text;

namespace CodeAssist.Models.Gguf;

/// <summary>How a tensor's elements are filled when it is written: all ones (norm weights) or uniform noise.</summary>
public readonly record struct TensorFill(float Scale, bool Ones, int Seed)
{
    public static TensorFill One { get; } = new(1, true, 0);
    public static TensorFill Noise(float scale, int seed) => new(scale, false, seed);
}

/// <summary>
/// Writes GGUF v3 files: metadata (any <see cref="GgufValue"/>, so a vocabulary's tokenizer keys copy verbatim) and F32 or
/// F16 tensors generated while writing, so a model of a billion elements never sits in memory. Layout: header, metadata,
/// tensor infos, padding to 32, tensor data each aligned to 32.
/// </summary>
public sealed class GgufWriter
{
    private const int Alignment = 32;
    private const uint TypeF32 = 0;
    private const uint TypeF16 = 1;
    private readonly List<(string Key, GgufValue Value)> _metadata = [];
    private readonly List<(string Name, ulong[] Dimensions, bool F16, TensorFill Fill)> _tensors = [];

    public GgufWriter Add(string key, GgufValue value)
    {
        _metadata.RemoveAll(m => m.Key == key);
        _metadata.Add((key, value));
        return this;
    }

    public GgufWriter Add(string key, string value) => Add(key, new GgufValue(GgufType.String, value));
    public GgufWriter Add(string key, uint value) => Add(key, new GgufValue(GgufType.UInt32, value));
    public GgufWriter Add(string key, float value) => Add(key, new GgufValue(GgufType.Float32, value));

    /// <param name="dimensions">ggml order: the innermost (contiguous) dimension first.</param>
    public GgufWriter AddTensor(string name, ulong[] dimensions, TensorFill fill, bool f16 = false)
    {
        _tensors.Add((name, dimensions, f16, fill));
        return this;
    }

    public void Write(string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var writer = new BinaryWriter(stream, Encoding.UTF8);
        writer.Write(GgufFile.Magic);
        writer.Write(3u);
        writer.Write((ulong)_tensors.Count);
        writer.Write((ulong)_metadata.Count);
        foreach (var (key, value) in _metadata)
        {
            WriteString(writer, key);
            writer.Write((uint)value.Type);
            WriteValue(writer, value.Type, value.Value);
        }
        ulong offset = 0;
        foreach (var (name, dimensions, f16, _) in _tensors)
        {
            WriteString(writer, name);
            writer.Write((uint)dimensions.Length);
            foreach (var dimension in dimensions)
            {
                writer.Write(dimension);
            }
            writer.Write(f16 ? TypeF16 : TypeF32);
            writer.Write(offset);
            offset += Align(Elements(dimensions) * (f16 ? 2ul : 4ul));
        }
        Pad(writer);
        foreach (var (_, dimensions, f16, fill) in _tensors)
        {
            WriteData(writer, Elements(dimensions), f16, fill);
            Pad(writer);
        }
    }

    private static ulong Elements(ulong[] dimensions) => dimensions.Aggregate(1ul, (product, d) => product * d);

    private static void WriteData(BinaryWriter writer, ulong count, bool f16, TensorFill fill)
    {
        var random = new Random(fill.Seed);
        var buffer = new byte[64 * 1024];
        var elementSize = f16 ? 2 : 4;
        for (ulong done = 0; done < count;)
        {
            var n = (int)Math.Min((ulong)(buffer.Length / elementSize), count - done);
            for (var i = 0; i < n; i++)
            {
                var value = fill.Ones ? 1f : (float)(random.NextDouble() * 2 - 1) * fill.Scale;
                if (f16)
                {
                    BitConverter.TryWriteBytes(buffer.AsSpan(i * 2), (Half)value);
                }
                else
                {
                    BitConverter.TryWriteBytes(buffer.AsSpan(i * 4), value);
                }
            }
            writer.Write(buffer, 0, n * elementSize);
            done += (ulong)n;
        }
    }

    private static ulong Align(ulong value) => (value + Alignment - 1) / Alignment * Alignment;

    private static void Pad(BinaryWriter writer)
    {
        var position = writer.BaseStream.Position;
        var padded = (long)Align((ulong)position);
        for (var i = position; i < padded; i++)
        {
            writer.Write((byte)0);
        }
    }

    private static void WriteString(BinaryWriter writer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        writer.Write((ulong)bytes.Length);
        writer.Write(bytes);
    }

    private static void WriteValue(BinaryWriter writer, GgufType type, object value)
    {
        switch (type)
        {
            case GgufType.UInt8: writer.Write((byte)value); break;
            case GgufType.Int8: writer.Write((sbyte)value); break;
            case GgufType.UInt16: writer.Write((ushort)value); break;
            case GgufType.Int16: writer.Write((short)value); break;
            case GgufType.UInt32: writer.Write((uint)value); break;
            case GgufType.Int32: writer.Write((int)value); break;
            case GgufType.Float32: writer.Write((float)value); break;
            case GgufType.Bool: writer.Write((bool)value ? (byte)1 : (byte)0); break;
            case GgufType.String: WriteString(writer, (string)value); break;
            case GgufType.UInt64: writer.Write((ulong)value); break;
            case GgufType.Int64: writer.Write((long)value); break;
            case GgufType.Float64: writer.Write((double)value); break;
            case GgufType.Array:
                var array = (GgufArray)value;
                writer.Write((uint)array.ElementType);
                writer.Write((ulong)array.Items.Count);
                foreach (var item in array.Items)
                {
                    WriteValue(writer, array.ElementType, item);
                }
                break;
            default: throw new ArgumentOutOfRangeException(nameof(type));
        }
    }
}

using System.Text;
using CodeAssist.Models.Gguf;

namespace CodeAssist.Models.Tests;

/// <summary>
/// Writes GGUF v3 files for tests: metadata (any <see cref="GgufValue"/>, so a vocabulary's tokenizer keys copy
/// verbatim) and F32 tensors. Layout: header, metadata, tensor infos, padding to 32, tensor data each aligned to 32.
/// </summary>
internal sealed class GgufWriter
{
    private const int Alignment = 32;
    private readonly List<(string Key, GgufValue Value)> _metadata = [];
    private readonly List<(string Name, ulong[] Dimensions, float[] Data)> _tensors = [];

    public GgufWriter Add(string key, GgufValue value)
    {
        _metadata.RemoveAll(m => m.Key == key);
        _metadata.Add((key, value));
        return this;
    }

    public GgufWriter Add(string key, string value) => Add(key, new GgufValue(GgufType.String, value));
    public GgufWriter Add(string key, uint value) => Add(key, new GgufValue(GgufType.UInt32, value));
    public GgufWriter Add(string key, float value) => Add(key, new GgufValue(GgufType.Float32, value));

    public GgufWriter AddTensor(string name, ulong[] dimensions, float[] data)
    {
        _tensors.Add((name, dimensions, data));
        return this;
    }

    public void Write(string path)
    {
        using var stream = File.Create(path);
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
        foreach (var (name, dimensions, data) in _tensors)
        {
            WriteString(writer, name);
            writer.Write((uint)dimensions.Length);
            foreach (var dimension in dimensions)
            {
                writer.Write(dimension);
            }
            writer.Write(0u); // GGML_TYPE_F32
            writer.Write(offset);
            offset += Align((ulong)data.Length * 4);
        }
        Pad(writer);
        foreach (var (_, _, data) in _tensors)
        {
            var bytes = new byte[data.Length * 4];
            Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
            writer.Write(bytes);
            Pad(writer);
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

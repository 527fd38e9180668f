using System.Text.Json;

namespace CodeAssist.Lsp;

/// <summary>A JSON-RPC request id: the spec allows a number or a string, and a reply must echo it unchanged.</summary>
public readonly record struct RequestId
{
    private readonly long _number;
    private readonly string? _string;

    public RequestId(long number) => _number = number;
    public RequestId(string text) => _string = text;

    public static bool TryParse(JsonElement element, out RequestId id)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Number when element.TryGetInt64(out var number):
                id = new RequestId(number);
                return true;
            case JsonValueKind.String:
                id = new RequestId(element.GetString()!);
                return true;
            default:
                id = default;
                return false;
        }
    }

    public void WriteTo(Utf8JsonWriter writer)
    {
        if (_string is null)
        {
            writer.WriteNumberValue(_number);
        }
        else
        {
            writer.WriteStringValue(_string);
        }
    }

    public override string ToString() => _string is null ? _number.ToString() : $"\"{_string}\"";
}

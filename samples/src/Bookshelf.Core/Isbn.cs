using System.Diagnostics.CodeAnalysis;

namespace Bookshelf.Core;

/// <summary>
/// An ISBN-13, kept as its 13 digits without hyphens. Parsing accepts hyphens and spaces
/// ("978-0-06-088328-7") and checks the check digit.
/// </summary>
public readonly record struct Isbn
{
    private Isbn(string digits) => Digits = digits;

    /// <summary>The 13 digits, without separators.</summary>
    public string Digits { get; }

    /// <summary>The registration group: 0 and 1 are English, 84 Spanish, and so on.</summary>
    public string Group => Digits.Substring(3, Digits[3] is '0' or '1' ? 1 : 2);

    /// <summary>Parses an ISBN-13, throwing <see cref="FormatException"/> when it is not one.</summary>
    /// <param name="text">Digits, optionally separated by hyphens or spaces.</param>
    public static Isbn Parse(string text) =>
        TryParse(text, out var isbn) ? isbn : throw new FormatException($"'{text}' is not a valid ISBN-13");

    /// <summary>Parses an ISBN-13; returns false for anything else, including a wrong check digit.</summary>
    /// <param name="text">Digits, optionally separated by hyphens or spaces.</param>
    /// <param name="isbn">The ISBN when parsing succeeded.</param>
    public static bool TryParse([NotNullWhen(true)] string? text, out Isbn isbn)
    {
        isbn = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var digits = new string(text.Where(c => c is not ('-' or ' ')).ToArray());
        if (digits.Length != 13 || !digits.All(char.IsAsciiDigit) || !HasValidCheckDigit(digits))
        {
            return false;
        }

        isbn = new Isbn(digits);
        return true;
    }

    /// <summary>The usual hyphen-free form.</summary>
    public override string ToString() => Digits ?? "";

    private static bool HasValidCheckDigit(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var digit = digits[i] - '0';
            sum += i % 2 == 0 ? digit : digit * 3;
        }
        return sum % 10 == 0;
    }
}

namespace Bookshelf.Core;

/// <summary>The outcome of an operation that can be refused: a value, or the reason it was refused.</summary>
/// <typeparam name="T">The value's type.</typeparam>
public readonly record struct Result<T>
{
    private Result(T? value, string? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>The value when <see cref="IsSuccess"/>.</summary>
    public T? Value { get; }

    /// <summary>Why the operation was refused, when it was.</summary>
    public string? Error { get; }

    /// <summary>True when there is a value.</summary>
    public bool IsSuccess => Error is null;

    /// <summary>A successful result.</summary>
    /// <param name="value">The value.</param>
    public static Result<T> Ok(T value) => new(value, null);

    /// <summary>A refusal.</summary>
    /// <param name="error">Why, in words a librarian can pass on.</param>
    public static Result<T> Fail(string error) => new(default, error);

    /// <summary>Maps the value, keeping a refusal as it is.</summary>
    /// <typeparam name="TOut">The mapped value's type.</typeparam>
    /// <param name="map">The mapping.</param>
    public Result<TOut> Select<TOut>(Func<T, TOut> map) =>
        IsSuccess ? Result<TOut>.Ok(map(Value!)) : Result<TOut>.Fail(Error!);

    /// <inheritdoc />
    public override string ToString() => IsSuccess ? $"Ok({Value})" : $"Fail({Error})";
}

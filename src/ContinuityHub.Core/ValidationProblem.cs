namespace ContinuityHub;

/// <summary>One thing wrong with what a user gave the hub, named by where it is: <c>services[3].rto: 10h exceeds mtpd 8h</c>.</summary>
public sealed record ValidationProblem(string Path, string Message)
{
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}

/// <summary>
/// Bad input, told as a list of problems a user can act on. The hub's own error for anything the user
/// gave it (files, payloads, options); hosts turn it into exit code 2 or an RFC 7807 problem, never a stack trace.
/// </summary>
public sealed class HubValidationException : Exception
{
    public HubValidationException(IReadOnlyList<ValidationProblem> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    public HubValidationException(string path, string message)
        : this([new ValidationProblem(path, message)])
    {
    }

    public HubValidationException()
        : this([])
    {
    }

    public HubValidationException(string message)
        : this([new ValidationProblem(string.Empty, message)])
    {
    }

    public HubValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [new ValidationProblem(string.Empty, message)];
    }

    public IReadOnlyList<ValidationProblem> Problems { get; }

    private static string Describe(IReadOnlyList<ValidationProblem> problems) =>
        problems.Count == 0 ? "Invalid input." : string.Join(Environment.NewLine, problems);
}

/// <summary>Someone else changed the stored data while the hub was writing it; the caller may retry.</summary>
public sealed class ConcurrencyConflictException : Exception
{
    public ConcurrencyConflictException()
    {
    }

    public ConcurrencyConflictException(string message)
        : base(message)
    {
    }

    public ConcurrencyConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using ContinuityHub.Catalog;

namespace ContinuityHub.Exercises;

/// <summary>What a finding or corrective action belongs to: an exercise, or a post-incident review.</summary>
public enum FindingOrigin
{
    Exercise,
    Review,
}

/// <summary>A finding (of an exercise) or a corrective action (of a post-incident review) added over the CLI or HTTP.</summary>
/// <param name="Owner">The exercise id, or the review id.</param>
public sealed record StoredFinding(FindingOrigin Origin, string Owner, Finding Finding, string? ETag = null);

/// <summary>
/// The findings and corrective actions added beside the catalogue's (Table Storage: the Findings table, PartitionKey
/// <c>exercise~{id}</c> or <c>review~{id}</c>, RowKey the finding's id). The import never touches it.
/// </summary>
public interface IFindingStore
{
    /// <summary>Stores a new finding; false when one of the same owner already has its id (nothing written).</summary>
    Task<bool> AddAsync(FindingOrigin origin, string ownerId, Finding finding, CancellationToken cancellationToken);

    /// <summary>Every stored finding of one exercise or review, or of all when <paramref name="ownerId"/> is null, by id.</summary>
    Task<IReadOnlyList<StoredFinding>> ListAsync(FindingOrigin origin, string? ownerId, CancellationToken cancellationToken);

    /// <summary>Replaces a stored finding, conditional on its ETag; false when it changed meanwhile or is gone.</summary>
    Task<bool> UpdateAsync(StoredFinding finding, CancellationToken cancellationToken);
}

public enum FindingAddOutcome
{
    Added,

    /// <summary>No such exercise (or review).</summary>
    NotFound,

    /// <summary>The id is taken (in the catalogue or among those added).</summary>
    Conflict,
}

public sealed record FindingAddResult(FindingAddOutcome Outcome, Finding? Finding);

public enum FindingCloseOutcome
{
    Closed,
    NotFound,

    /// <summary>Declared in the catalogue: closed there (<c>closed:</c>) and imported.</summary>
    InCatalogue,
}

/// <summary>The rules a finding added over the CLI or HTTP meets: those of the catalogue's findings, each problem on its field.</summary>
public static partial class FindingRules
{
    public const int MaxText = 1000;

    /// <summary>The finding, checked: <c>id</c> (optional; default the next <c>F-{n}</c>), <c>text</c>, <c>owner</c>, <c>due</c>.</summary>
    /// <exception cref="HubValidationException">Each field that breaks a rule, by name.</exception>
    public static Finding Check(string? id, string? text, string? owner, string? due, IEnumerable<string> taken, string prefix = "F")
    {
        var problems = new List<ValidationProblem>();
        var takenIds = new HashSet<string>(taken, StringComparer.OrdinalIgnoreCase);
        if (id is not null && !Id().IsMatch(id))
        {
            problems.Add(new ValidationProblem("id", "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"));
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            problems.Add(new ValidationProblem("text", "is required: what was found, or what is to be done"));
        }
        else if (text.Length > MaxText)
        {
            problems.Add(new ValidationProblem("text", string.Create(CultureInfo.InvariantCulture, $"holds at most {MaxText} characters")));
        }

        if (string.IsNullOrWhiteSpace(owner) || !Owner().IsMatch(owner.Trim()))
        {
            problems.Add(new ValidationProblem("owner", "is required: the owner's e-mail address or UPN, e.g. sam.okafor@contoso.com"));
        }

        DateOnly dueDate = default;
        if (string.IsNullOrWhiteSpace(due))
        {
            problems.Add(new ValidationProblem("due", "is required: the date it is to be closed by, yyyy-MM-dd"));
        }
        else if (!DateOnly.TryParseExact(due.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out dueDate))
        {
            problems.Add(new ValidationProblem("due", $"'{due}' is not a date: expected yyyy-MM-dd, e.g. 2027-01-31"));
        }

        if (problems.Count > 0)
        {
            throw new HubValidationException(problems);
        }

        var chosen = id ?? Next(prefix, takenIds);
        if (takenIds.Contains(chosen))
        {
            throw new FindingTakenException(chosen);
        }

        return new Finding(chosen, text!.Trim(), owner!.Trim(), dueDate, null);
    }

    /// <summary>The first <c>{prefix}-{n}</c> (n from 1) not taken.</summary>
    private static string Next(string prefix, HashSet<string> taken)
    {
        for (var n = 1; ; n++)
        {
            var candidate = string.Create(CultureInfo.InvariantCulture, $"{prefix}-{n}");
            if (!taken.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex Id();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex Owner();
}

/// <summary>A finding id that is taken already.</summary>
public sealed class FindingTakenException : Exception
{
    public FindingTakenException()
    {
    }

    public FindingTakenException(string id)
        : base($"The finding id '{id}' is taken.")
    {
        Id = id;
    }

    public FindingTakenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public string? Id { get; }
}

/// <summary>
/// Exercise findings added beside the catalogue's (<c>hub exercise findings add|close|list</c>,
/// <c>POST /api/exercises/{id}/findings</c>): checked as the catalogue's are, stored in the Findings table, and read
/// back with the catalogue (its exercises carry them), so the report counts them like the YAML's.
/// </summary>
public sealed class FindingService(ICatalogStore catalogs, IFindingStore findings, TimeProvider time)
{
    public async Task<FindingAddResult> AddAsync(string exerciseId, string? id, string? text, string? owner, string? due, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exerciseId);
        var exercise = (await catalogs.LoadAsync(cancellationToken)).Exercises.FirstOrDefault(e => e.Id == exerciseId);
        if (exercise is null)
        {
            return new FindingAddResult(FindingAddOutcome.NotFound, null);
        }

        Finding finding;
        try
        {
            finding = FindingRules.Check(id, text, owner, due, exercise.Findings.Select(f => f.Id));
        }
        catch (FindingTakenException)
        {
            return new FindingAddResult(FindingAddOutcome.Conflict, null);
        }

        return await findings.AddAsync(FindingOrigin.Exercise, exerciseId, finding, cancellationToken)
            ? new FindingAddResult(FindingAddOutcome.Added, finding)
            : new FindingAddResult(FindingAddOutcome.Conflict, null);
    }

    /// <summary>Closes a finding added here, on <paramref name="closed"/> (default today, UTC).</summary>
    public async Task<(FindingCloseOutcome Outcome, Finding? Finding)> CloseAsync(string exerciseId, string findingId, DateOnly? closed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exerciseId);
        ArgumentNullException.ThrowIfNull(findingId);
        var on = closed ?? DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var stored = (await findings.ListAsync(FindingOrigin.Exercise, exerciseId, cancellationToken)).FirstOrDefault(f => string.Equals(f.Finding.Id, findingId, StringComparison.OrdinalIgnoreCase));
            if (stored is null)
            {
                var exercise = (await catalogs.LoadAsync(cancellationToken)).Exercises.FirstOrDefault(e => e.Id == exerciseId);
                return exercise?.Findings.Any(f => string.Equals(f.Id, findingId, StringComparison.OrdinalIgnoreCase)) == true
                    ? (FindingCloseOutcome.InCatalogue, null)
                    : (FindingCloseOutcome.NotFound, null);
            }

            var done = stored.Finding with { Closed = on };
            if (await findings.UpdateAsync(stored with { Finding = done }, cancellationToken))
            {
                return (FindingCloseOutcome.Closed, done);
            }
        }

        throw new ConcurrencyConflictException($"The finding '{findingId}' kept changing while it was closed; try again.");
    }
}

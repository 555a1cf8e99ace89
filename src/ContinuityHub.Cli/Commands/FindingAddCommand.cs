using System.CommandLine;
using System.Globalization;
using ContinuityHub.Catalog;
using ContinuityHub.Exercises;

namespace ContinuityHub.Cli.Commands;

/// <summary>How an add command of findings or corrective actions reads to its user.</summary>
/// <param name="Owner">The argument naming what it is added to (<c>exerciseId</c>, <c>reviewId</c>).</param>
/// <param name="Noun">What is added: "Finding", "Corrective action".</param>
/// <param name="NotFound">The message for an unknown <paramref name="Owner"/>.</param>
internal sealed record FindingAddWords(string Owner, string OwnerDescription, string Description, string Noun, string IdPrefix, Func<string, string> NotFound);

/// <summary>
/// The add command of exercise findings (<c>hub exercise findings add</c>) and of corrective actions
/// (<c>hub lessons actions add</c>): the same flags, the same rules, a field refused named by its flag (exit 2).
/// </summary>
internal static class FindingAddCommand
{
    public delegate Task<FindingAddResult> Adder(IServiceProvider services, string ownerId, string? id, string? text, string? owner, string? due, CancellationToken cancellationToken);

    public static Command Create(CliConsole console, TimeProvider time, FindingAddWords words, Adder add)
    {
        var target = new Argument<string>(words.Owner) { Description = words.OwnerDescription };
        var text = new Option<string>("--text") { Description = "What was found, or what is to be done.", Required = true };
        var owner = new Option<string>("--owner") { Description = "Who closes it: an e-mail address or UPN.", Required = true };
        var due = new Option<string>("--due") { Description = "When it is to be closed by, yyyy-MM-dd.", Required = true };
        var id = new Option<string>("--id") { Description = $"Its id (default: the next {words.IdPrefix}-n free)." };
        var storage = CatalogCommands.StorageOption();
        var command = new Command("add", words.Description) { target, text, owner, due, id, storage };
        command.SetAction(async (parse, ct) =>
        {
            var ownerId = parse.GetRequiredValue(target);
            await using var provider = HubConfiguration.Services(parse.GetValue(storage), time);
            FindingAddResult result;
            try
            {
                result = await add(provider, ownerId, parse.GetValue(id), parse.GetValue(text), parse.GetValue(owner), parse.GetValue(due), ct);
            }
            catch (HubValidationException e)
            {
                throw new HubValidationException([.. e.Problems.Select(p => new ValidationProblem("--" + p.Path, p.Message))]);
            }

            switch (result.Outcome)
            {
                case FindingAddOutcome.NotFound:
                    throw new HubValidationException(words.Owner, words.NotFound(ownerId));
                case FindingAddOutcome.Conflict:
                    throw new HubValidationException("--id", $"'{parse.GetValue(id)}' is taken in {ownerId}; give another id or leave --id out");
            }

            var added = result.Finding!;
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{words.Noun} {added.Id} added to {ownerId} (owner {added.Owner}, due {added.Due:yyyy-MM-dd})."));
            return HubCli.Ok;
        });
        return command;
    }

    /// <summary>The <c>--on</c> date of a close command: null (today) when not given.</summary>
    public static DateOnly? OnDate(string? text) =>
        text is null ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
        : throw new HubValidationException("--on", $"'{text}' is not a date: expected yyyy-MM-dd, e.g. 2026-12-05");
}

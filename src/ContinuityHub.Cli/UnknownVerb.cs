using System.CommandLine;
using System.CommandLine.Parsing;

namespace ContinuityHub.Cli;

/// <summary>
/// The one line <c>hub</c> answers a verb it does not know (<c>hub catlog</c>, <c>hub catalog imprt</c>) with, instead of
/// System.CommandLine's usage errors: the closest verb when one is close enough (at most
/// <see cref="MaxEdits"/> edits, or the only verb that starts with what was typed), else where the verbs are listed.
/// </summary>
internal static class UnknownVerb
{
    public const int MaxEdits = 2;

    /// <summary>The line for <paramref name="parse"/>, or null when its errors are not an unknown verb.</summary>
    public static string? Describe(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var verbs = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();
        if (verbs.Count == 0 || parse.UnmatchedTokens is not [var typed, ..] || typed.StartsWith('-'))
        {
            return null;
        }

        return Closest(typed, verbs) is { } verb
            ? $"unknown command '{typed}'; did you mean '{verb}'?"
            : $"unknown command '{typed}'; run '{PathOf(parse.CommandResult)} --help' for the verbs";
    }

    /// <summary>The verb nearest <paramref name="typed"/> by edit distance, else the only one it begins; null when none is, or two are equally near.</summary>
    public static string? Closest(string typed, IReadOnlyCollection<string> verbs)
    {
        var near = verbs
            .Select(v => (Verb: v, Edits: EditDistance.Between(typed, v)))
            .Where(x => x.Edits <= MaxEdits && x.Edits < typed.Length)
            .GroupBy(x => x.Edits)
            .OrderBy(g => g.Key)
            .FirstOrDefault();
        if (near is not null)
        {
            return near.Count() == 1 ? near.First().Verb : null;
        }

        var prefixed = verbs.Where(v => v.StartsWith(typed, StringComparison.OrdinalIgnoreCase)).ToList();
        return prefixed.Count == 1 ? prefixed[0] : null;
    }

    private static string PathOf(CommandResult result)
    {
        var names = new Stack<string>();
        for (var r = result; r is { Parent: CommandResult parent }; r = parent)
        {
            names.Push(r.Command.Name);
        }

        return string.Join(' ', ["hub", .. names]);
    }
}

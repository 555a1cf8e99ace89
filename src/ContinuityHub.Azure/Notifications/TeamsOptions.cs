using System.ComponentModel.DataAnnotations;
using ContinuityHub.Notifications;
using Microsoft.Extensions.Configuration;

namespace ContinuityHub.Azure.Notifications;

/// <summary>
/// The continuity channel the report's summary card goes to (section <c>Teams</c>): both ids or neither (then no
/// summary card is posted). Validated at start; one set without the other fails naming both settings.
/// </summary>
public sealed class TeamsOptions : IValidatableObject
{
    public const string SectionName = "Teams";

    /// <summary>The group id of the team the continuity channel belongs to.</summary>
    public string? ContinuityTeamId { get; set; }

    /// <summary>The continuity channel's id (<c>19:…@thread.tacv2</c>).</summary>
    public string? ContinuityChannelId { get; set; }

    public static TeamsOptions FromConfiguration(IConfigurationSection section) => OptionsValidation.Bind<TeamsOptions>(section);

    /// <summary>The channel, or null when neither id is set; throws naming the setting when only one is.</summary>
    public ContinuityChannel? Channel()
    {
        OptionsValidation.ThrowIfInvalid(this);
        return string.IsNullOrWhiteSpace(ContinuityTeamId) ? null : new ContinuityChannel(ContinuityTeamId.Trim(), ContinuityChannelId!.Trim());
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var team = !string.IsNullOrWhiteSpace(ContinuityTeamId);
        var channel = !string.IsNullOrWhiteSpace(ContinuityChannelId);
        if (channel && !team)
        {
            yield return new ValidationResult("Teams:ContinuityTeamId must be set with Teams:ContinuityChannelId (the team the continuity channel belongs to).", [nameof(ContinuityTeamId)]);
        }
        else if (team && !channel)
        {
            yield return new ValidationResult("Teams:ContinuityChannelId must be set with Teams:ContinuityTeamId (the channel the report's summary card goes to).", [nameof(ContinuityChannelId)]);
        }
    }
}

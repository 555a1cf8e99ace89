using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Outbox;
using ContinuityHub.Reactions;

namespace ContinuityHub.Core.Tests.Reactions;

/// <summary>What is written back to the record an incident came from, beside the note itself.</summary>
public class WriteBackNoteTests
{
    private static readonly SourceRecord ServiceNow = new(AliasSource.ServiceNow, "d3f1a6c24f8b1210a1e5c2d18e0a7c41");

    private static readonly Policy Fields = Policy.Default with
    {
        ServiceNowFields = new Dictionary<string, string>
        {
            ["major_incident_state"] = "accepted",
            ["u_continuity_level"] = "{level}",
            ["u_summary"] = "hub level {level}",
        },
    };

    [Theory]
    [InlineData(OutboxKind.Alert, AssessmentLevel.Alert)]
    [InlineData(OutboxKind.LevelChange, AssessmentLevel.RecommendInvocation)]
    [InlineData(OutboxKind.LevelChange, AssessmentLevel.Invoke)]
    public void A_servicenow_level_change_at_or_above_alert_sets_the_policys_fields_with_the_level_named(OutboxKind kind, AssessmentLevel level)
    {
        var fields = WriteBackNote.Fields(Entry(kind, level), ServiceNow, Fields);

        Assert.NotNull(fields);
        Assert.Equal("accepted", fields["major_incident_state"]);
        Assert.Equal(level.ToString(), fields["u_continuity_level"]);
        Assert.Equal($"hub level {level}", fields["u_summary"]);
    }

    [Theory]
    [InlineData(OutboxKind.LevelChange, AssessmentLevel.Monitor)]
    [InlineData(OutboxKind.StandDown, AssessmentLevel.Invoke)]
    [InlineData(OutboxKind.Acknowledged, AssessmentLevel.Alert)]
    [InlineData(OutboxKind.Invoked, AssessmentLevel.Invoke)]
    [InlineData(OutboxKind.StoodDown, AssessmentLevel.Invoke)]
    public void Decisions_the_stand_down_and_levels_below_alert_set_no_fields(OutboxKind kind, AssessmentLevel level)
    {
        Assert.Null(WriteBackNote.Fields(Entry(kind, level), ServiceNow, Fields));
    }

    [Fact]
    public void Other_sources_and_a_policy_naming_no_fields_set_none()
    {
        var entry = Entry(OutboxKind.Alert, AssessmentLevel.Alert);

        Assert.Null(WriteBackNote.Fields(entry, new SourceRecord(AliasSource.Jira, "ITSM-4711"), Fields));
        Assert.Null(WriteBackNote.Fields(entry, ServiceNow, Policy.Default));
    }

    private static OutboxEntry Entry(OutboxKind kind, AssessmentLevel level) =>
        new("servicenow~d3f1a6c24f8b1210a1e5c2d18e0a7c41", "e1", new DateTimeOffset(2026, 11, 24, 10, 30, 0, TimeSpan.Zero), kind, level, ["dr-payments"]);
}

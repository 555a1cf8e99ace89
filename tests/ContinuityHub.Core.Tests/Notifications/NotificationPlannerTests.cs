using ContinuityHub.Assessment;
using ContinuityHub.Notifications;
using ContinuityHub.Outbox;

namespace ContinuityHub.Core.Tests.Notifications;

public sealed class NotificationPlannerTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 10, 30, 0, TimeSpan.Zero);

    public static TheoryData<AssessmentLevel, AssessmentLevel, AssessmentLevel, OutboxKind?, AssessmentLevel> Changes => new()
    {
        // alerted, previous, level → entry, alerted after
        { AssessmentLevel.None, AssessmentLevel.None, AssessmentLevel.Monitor, null, AssessmentLevel.None },
        { AssessmentLevel.None, AssessmentLevel.Monitor, AssessmentLevel.Alert, OutboxKind.Alert, AssessmentLevel.Alert },
        { AssessmentLevel.None, AssessmentLevel.None, AssessmentLevel.Invoke, OutboxKind.Alert, AssessmentLevel.Invoke },
        { AssessmentLevel.Alert, AssessmentLevel.Alert, AssessmentLevel.RecommendInvocation, OutboxKind.Alert, AssessmentLevel.RecommendInvocation },
        { AssessmentLevel.RecommendInvocation, AssessmentLevel.RecommendInvocation, AssessmentLevel.Alert, OutboxKind.LevelChange, AssessmentLevel.RecommendInvocation },
        { AssessmentLevel.RecommendInvocation, AssessmentLevel.Alert, AssessmentLevel.RecommendInvocation, OutboxKind.LevelChange, AssessmentLevel.RecommendInvocation },
        { AssessmentLevel.Alert, AssessmentLevel.Alert, AssessmentLevel.Monitor, OutboxKind.LevelChange, AssessmentLevel.Alert },
        { AssessmentLevel.Alert, AssessmentLevel.Monitor, AssessmentLevel.None, OutboxKind.StandDown, AssessmentLevel.None },
        { AssessmentLevel.Invoke, AssessmentLevel.Invoke, AssessmentLevel.None, OutboxKind.StandDown, AssessmentLevel.None },
        { AssessmentLevel.None, AssessmentLevel.Monitor, AssessmentLevel.None, null, AssessmentLevel.None },
        { AssessmentLevel.Alert, AssessmentLevel.Alert, AssessmentLevel.Alert, null, AssessmentLevel.Alert },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void A_rise_alerts_a_fall_to_none_stands_down_and_other_changes_reply(
        AssessmentLevel alerted, AssessmentLevel previous, AssessmentLevel level, OutboxKind? kind, AssessmentLevel alertedAfter)
    {
        var (entry, after) = NotificationPlanner.Plan("generic~INC-1", alerted, previous, level, ["dr-online"], At);

        Assert.Equal(kind, entry?.Kind);
        Assert.Equal(alertedAfter, after);
        if (entry is not null)
        {
            Assert.Equal(level, entry.Level);
            Assert.Equal(OutboxEntry.IdAt(At), entry.Id);
            Assert.Equal(["dr-online"], entry.Plans);
        }
    }
}

using ContinuityHub.Assessment;
using ContinuityHub.Notifications;
using ContinuityHub.Outbox;

namespace ContinuityHub.Core.Tests.Notifications;

/// <summary>
/// Card models for tests: an Alert on ServiceNow incident INC0012345 "Core ledger down" at <see cref="At"/>, plan
/// dr-ledger, one directly impacted tier-1 service whose latest safe invocation is 1 h 20 min after <see cref="At"/>,
/// with actions. Tests change only what they are about.
/// </summary>
internal static class AlertCardModelBuilder
{
    public static readonly DateTimeOffset At = new(2026, 11, 24, 9, 40, 0, TimeSpan.Zero);

    public static readonly CardActions Links = new(
        new Uri("https://hub.example/api/decisions/ack-token"),
        new Uri("https://hub.example/api/decisions/invoke-token"),
        new Uri("https://hub.example/api/decisions/standdown-token"),
        new Uri("https://contoso.service-now.com/incident.do?sys_id=42"));

    public static AlertCardModel Model() => new(
        AlertCardKind.Alert,
        AssessmentLevel.Alert,
        At,
        "servicenow~INC0012345",
        "Core ledger down",
        "servicenow",
        new Uri("https://contoso.service-now.com/nav_to.do?uri=incident.do?sys_id=42"),
        "dr-ledger",
        "Ledger disaster recovery",
        "3",
        [new CardDocument("Runbook.pdf", new Uri("https://docs.example/plan-documents/dr-ledger/3/Runbook.pdf?sv=2025&sig=abc"))],
        [Service("ledger", "Core ledger")],
        ["Core ledger is down for 1 h 40 min, half its RTO of 4 h"],
        [new PagedTier(0, ["alice@contoso.example", "Bob Jones"], At.AddMinutes(-5))],
        null,
        null,
        Links,
        null);

    /// <summary>A service impacted 1 h 40 min ago, RTO 4 h, MTPD 1 d, latest safe invocation 1 h 20 min after <see cref="At"/>.</summary>
    public static ServiceClockDocument Service(string id, string name, bool direct = true, string? via = null, string latestSafeInvocation = "2026-11-24T11:00:00Z") =>
        new(id, name, 1, direct, via, "PT1H40M", "PT1H40M", "PT4H", "P1D", latestSafeInvocation, "dr-ledger", "Alert");

    public static IReadOnlyList<ServiceClockDocument> Services(int count) =>
        [.. Enumerable.Range(1, count).Select(i => Service($"svc-{i}", $"Service number {i} with a fairly long descriptive name"))];
}

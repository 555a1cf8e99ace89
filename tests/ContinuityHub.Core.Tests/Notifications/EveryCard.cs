using ContinuityHub.Assessment;
using ContinuityHub.Core.Tests.Reporting;
using ContinuityHub.Notifications;
using ContinuityHub.Outbox;
using ContinuityHub.Reporting;
using static ContinuityHub.Core.Tests.Notifications.AlertCardModelBuilder;

namespace ContinuityHub.Core.Tests.Notifications;

/// <summary>
/// Every kind of card the hub sends, each as an ordinary card, one made of hostile text and one oversized: the alert
/// at each level, a level change, an escalation, the decision replies (acknowledged, plan invoked), the stand-down
/// and the continuity report's summary card.
/// </summary>
internal static class EveryCard
{
    /// <summary>What an incident or a catalogue could carry against a card's readers, or against its renderer.</summary>
    public const string HostileTitle =
        "Core <ledger> & \"payments\" </script><b>x</b> (dr-ledger) 1. #1 *urgent* _x_ [click](http://evil.example) \\(a\\) {{DATE(2017-02-14T06:08:39Z, SHORT)}} é 日本 😀";

    private static readonly Lazy<IReadOnlyList<(string Name, TeamsCard Card)>> _all = new(() => [.. Render()]);

    /// <summary>Rendered once per test run.</summary>
    public static IReadOnlyList<(string Name, TeamsCard Card)> All() => _all.Value;

    private static IEnumerable<(string Name, TeamsCard Card)> Render()
    {
        foreach (var (name, model) in Models())
        {
            yield return (name, AdaptiveCards.Render(model));
            yield return (name + " (hostile)", AdaptiveCards.Render(Hostile(model)));
            yield return (name + " (oversized)", AdaptiveCards.Render(Oversized(model)));
        }

        var report = ContinuityReportBuilder.Build(SeedCatalog.Catalog, [], SeedCatalog.Today, SeedCatalog.Today.AddDays(-7));
        yield return ("report summary", AdaptiveCards.RenderReport(report, new Uri("https://st.blob.core.windows.net/reports/continuity-report.html?sp=r&sig=x")));
        yield return ("report summary without a link", AdaptiveCards.RenderReport(report, null));
    }

    /// <summary>The ordinary card of each kind, as the delivery handlers build them.</summary>
    public static IEnumerable<(string Name, AlertCardModel Model)> Models()
    {
        var bridge = "https://teams.microsoft.com/l/meetup-join/19%3ameeting";
        var warRoom = "https://teams.microsoft.com/l/channel/19%3awar%40thread.tacv2/War%20room";
        yield return ("alert at Alert", Model());
        yield return ("alert at RecommendInvocation", Model() with { Level = AssessmentLevel.RecommendInvocation, BridgeUrl = bridge });
        yield return ("alert at Invoke", Model() with { Level = AssessmentLevel.Invoke, BridgeUrl = bridge });
        yield return ("level change to Monitor", Model() with { Kind = AlertCardKind.LevelChange, Level = AssessmentLevel.Monitor, Note = "The level fell to Monitor." });
        yield return ("escalation", Model() with
        {
            Kind = AlertCardKind.Escalation,
            Note = "Escalated to tier 2: nobody acknowledged within 15 min.",
            Paged = [new PagedTier(0, ["alice@contoso.example"], At.AddMinutes(-20)), new PagedTier(1, ["Carol Diaz", "dan@contoso.example"], At)],
        });
        yield return ("acknowledged reply", Model() with
        {
            Kind = AlertCardKind.Acknowledged,
            Note = "Acknowledged by alice@contoso.example at 24 Nov 2026 09:45 UTC.",
            Decision = "Acknowledged by alice@contoso.example at 24 Nov 2026 09:45 UTC.",
            Actions = Links with { Acknowledge = null },
        });
        yield return ("plan invoked reply", Model() with
        {
            Kind = AlertCardKind.Invoked,
            Level = AssessmentLevel.Invoke,
            Note = "Plan dr-ledger invoked by alice@contoso.example at 24 Nov 2026 09:50 UTC.",
            Decision = "Plan invoked by alice@contoso.example at 24 Nov 2026 09:50 UTC.",
            BridgeUrl = bridge,
            WarRoomUrl = warRoom,
            Actions = Links with { Acknowledge = null, Invoke = null },
        });
        yield return ("stand-down", Model() with { Kind = AlertCardKind.StandDown, Level = AssessmentLevel.None, Actions = null, Note = "The incident resolved: the crisis team is stood down." });
    }

    /// <summary>The model with every string it carries from an incident or the catalogue made hostile.</summary>
    public static AlertCardModel Hostile(AlertCardModel model) => model with
    {
        IncidentTitle = HostileTitle,
        IncidentKey = "servicenow~" + Uri.EscapeDataString("INC<1>&\"2\""),
        Source = "servicenow <b>",
        PlanTitle = HostileTitle,
        PlanId = "dr-ledger *x*",
        PlanVersion = "3 [v]",
        Note = model.Note is null ? null : model.Note + " " + HostileTitle,
        Decision = model.Decision is null ? null : "Acknowledged by " + HostileTitle,
        Elsewhere = "The incident also impacts " + HostileTitle,
        Documents = [new CardDocument("Runbook <1> & *2*.pdf", new Uri("https://docs.example/plan-documents/dr-ledger/3/Runbook%20(1).pdf?sv=2025&sig=a%2Bb"))],
        Services = [Service("ledger", HostileTitle, direct: false, via: "- " + HostileTitle)],
        Reasons = ["1. " + HostileTitle, "# " + HostileTitle],
        Paged = [.. model.Paged.Select(t => t with { People = [.. t.People, "Eve \"<b>\" O'Hara & co"] })],
    };

    /// <summary>The model with every list long and every string long: what the size budget must summarise.</summary>
    public static AlertCardModel Oversized(AlertCardModel model)
    {
        var longText = string.Concat(Enumerable.Repeat("<\"é😀{[ ", 300));
        return Hostile(model) with
        {
            IncidentTitle = longText,
            PlanTitle = longText,
            Services = [.. Enumerable.Range(0, 300).Select(i => Service($"svc-{i}", longText, direct: false, via: longText))],
            Reasons = [.. Enumerable.Repeat(longText, 200)],
            Documents = [.. Enumerable.Repeat(new CardDocument(longText, new Uri("https://docs.example/" + new string('a', 1500))), 60)],
            Paged = [.. Enumerable.Range(0, 12).Select(i => new PagedTier(i, [.. Enumerable.Repeat(longText, 40)], At))],
        };
    }
}

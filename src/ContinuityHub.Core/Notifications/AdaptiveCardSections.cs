using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml;
using ContinuityHub.Assessment;
using static ContinuityHub.Notifications.AdaptiveCardElements;

namespace ContinuityHub.Notifications;

/// <summary>The body sections of an alert card below its header: services, plan, reasons, who was paged, crisis links.</summary>
internal static class AdaptiveCardSections
{
    internal static void Services(JsonArray body, AlertCardModel model, CardLimits limits)
    {
        if (model.Services.Count == 0)
        {
            return;
        }

        body.Add(Heading(model.Services.Count == 1 ? "Impacted service" : Inv($"Impacted services ({model.Services.Count})")));
        var first = true;
        foreach (var service in model.Services.Take(limits.Services))
        {
            var name = AdaptiveCardText.Plain(service.Name, limits.Name);
            var impact = service.Direct || string.IsNullOrWhiteSpace(service.Via)
                ? new Run(Inv($"Tier {service.Tier} · direct"), Subtle: true)
                : new Run(Inv($"Tier {service.Tier} · via ") + AdaptiveCardText.Plain(service.Via, limits.Name), Subtle: true);
            body.Add(new JsonObject
            {
                ["type"] = "Container",
                ["separator"] = !first,
                ["spacing"] = "Small",
                ["items"] = new JsonArray
                {
                    Rich(new Run(name.Length > 0 ? name : "(unnamed service)", Bold: true)),
                    Rich(impact, spacing: "None"),
                    Facts(ServiceFacts(service, model)),
                },
            });
            first = false;
        }

        More(body, model.Services.Count, limits.Services, "service", "services", "Small");
    }

    internal static void Plan(JsonArray body, AlertCardModel model, CardLimits limits)
    {
        body.Add(Heading("Plan"));
        var title = AdaptiveCardText.Plain(model.PlanTitle, limits.Title);
        var id = AdaptiveCardText.Plain(model.PlanId, limits.Name);
        var version = AdaptiveCardText.Plain(model.PlanVersion, 40);
        var details = string.Join(", ", new[] { id, version.Length > 0 ? "version " + version : string.Empty }.Where(s => s.Length > 0));
        var line = title.Length > 0 ? title + (details.Length > 0 ? $" ({details})" : string.Empty) : details;
        body.Add(Rich(new Run(line, Bold: true), spacing: "Small"));
        foreach (var document in model.Documents.Take(limits.Documents))
        {
            var name = AdaptiveCardText.Plain(document.Name, limits.Name);
            body.Add(Rich(new Run(name.Length > 0 ? name : "document", Link: AdaptiveCardText.WebUrl(document.Link)), spacing: "None"));
        }

        More(body, model.Documents.Count, limits.Documents, "document", "documents", "None");
    }

    internal static void Reasons(JsonArray body, AlertCardModel model, CardLimits limits)
    {
        var reasons = model.Reasons.Select(r => AdaptiveCardText.Plain(r, limits.Reason)).Where(r => r.Length > 0).ToList();
        var elsewhere = AdaptiveCardText.Plain(model.Elsewhere, limits.Reason);
        if (reasons.Count == 0 && elsewhere.Length == 0)
        {
            return;
        }

        body.Add(Heading("Why"));
        foreach (var reason in reasons.Take(limits.Reasons))
        {
            body.Add(Rich(new Run("• " + reason), spacing: "None"));
        }

        More(body, reasons.Count, limits.Reasons, "reason", "reasons", "None");
        if (elsewhere.Length > 0)
        {
            body.Add(Rich(new Run(elsewhere, Subtle: true), spacing: "Small"));
        }
    }

    internal static void Paged(JsonArray body, AlertCardModel model, CardLimits limits)
    {
        if (model.Paged.Count == 0)
        {
            return;
        }

        body.Add(Heading("Paged"));
        var first = true;
        foreach (var tier in model.Paged.Take(limits.Tiers))
        {
            // Names and UPNs of the roster only: nothing else about a person goes on a card.
            var people = tier.People.Select(p => AdaptiveCardText.Plain(p, limits.Name)).Where(p => p.Length > 0).ToList();
            var shown = string.Join(", ", people.Take(limits.People));
            if (people.Count > limits.People)
            {
                shown += Inv($" and {people.Count - limits.People} more");
            }

            body.Add(Rich(
                [
                    new Run(Inv($"Tier {tier.Tier + 1}: "), Bold: true),
                    new Run(shown.Length > 0 ? shown : "nobody on the roster"),
                    new Run(" · " + HumanText.Time(tier.At), Subtle: true),
                ],
                spacing: first ? "Small" : "None"));
            first = false;
        }

        More(body, model.Paged.Count, limits.Tiers, "tier", "tiers", "None");
    }

    internal static void Links(JsonArray body, AlertCardModel model)
    {
        var bridge = AdaptiveCardText.WebUrl(model.BridgeUrl);
        var warRoom = AdaptiveCardText.WebUrl(model.WarRoomUrl);
        if (bridge is null && warRoom is null)
        {
            return;
        }

        body.Add(Heading("Crisis team"));
        if (bridge is not null)
        {
            body.Add(Rich(new Run("Join the crisis bridge", Link: bridge), spacing: "Small"));
        }

        if (warRoom is not null)
        {
            body.Add(Rich(new Run("Open the war room", Link: warRoom), spacing: "None"));
        }
    }

    /// <summary>
    /// The decisions still open: no Acknowledge once acknowledged or invoked, no Invoke once invoked, none at all once
    /// stood down — whatever links the model carries.
    /// </summary>
    internal static JsonArray? Actions(AlertCardModel model)
    {
        if (model.Actions is not { } links || model.Kind == AlertCardKind.StandDown)
        {
            return null;
        }

        var decided = model.Kind is AlertCardKind.Invoked or AlertCardKind.Acknowledged;
        var actions = new JsonArray();
        AddAction(actions, "Acknowledge", decided ? null : links.Acknowledge, "positive");
        AddAction(actions, "Invoke plan", model.Kind == AlertCardKind.Invoked ? null : links.Invoke, "destructive");
        AddAction(actions, "Stand down", links.StandDown, null);
        AddAction(actions, "Open incident", links.OpenIncident ?? model.SourceLink, null);
        return actions.Count > 0 ? actions : null;
    }

    internal static void AddAction(JsonArray actions, string title, Uri? url, string? style)
    {
        if (AdaptiveCardText.WebUrl(url) is not { } href)
        {
            return;
        }

        var action = new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = title, ["url"] = href };
        if (style is not null)
        {
            action["style"] = style;
        }

        actions.Add(action);
    }

    /// <summary>"and 3 more services" under a capped list.</summary>
    internal static void More(JsonArray body, int count, int shown, string one, string many, string spacing)
    {
        var more = count - Math.Min(shown, count);
        if (more > 0)
        {
            body.Add(Text(Inv($"and {more} more {(more == 1 ? one : many)}"), subtle: true, spacing: spacing));
        }
    }

    /// <summary>
    /// Elapsed, RTO, MTPD and the latest safe invocation, in the hub's own words. The countdown is left out once the
    /// plan is invoked or the team stood down: nothing is left to invoke by then.
    /// </summary>
    private static IEnumerable<JsonObject> ServiceFacts(ServiceClockDocument service, AlertCardModel model)
    {
        var elapsed = Duration(service.Elapsed);
        if (ParseDuration(service.Projected) is { } p && ParseDuration(service.Elapsed) is { } e && p > e)
        {
            elapsed += " · projected " + HumanText.Duration(p);
        }

        yield return Fact("Elapsed", elapsed);
        yield return Fact("RTO", Duration(service.Rto));
        yield return Fact("MTPD", Duration(service.Mtpd));
        if (model.Kind is not (AlertCardKind.StandDown or AlertCardKind.Invoked))
        {
            yield return Fact("Invoke by", InvokeBy(service.LatestSafeInvocation, model.At));
        }
    }

    private static string InvokeBy(string latestSafeInvocation, DateTimeOffset at) =>
        DateTimeOffset.TryParse(latestSafeInvocation, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var deadline)
            ? $"{HumanText.Time(deadline)} · {AdaptiveCardRenderer.TimeLeft(deadline, at)}"
            : "not known";

    /// <summary>An ISO 8601 duration in words; "not known" for anything else (a fact's text is the hub's, never the catalogue's).</summary>
    private static string Duration(string iso) => ParseDuration(iso) is { } value ? HumanText.Duration(value) : "not known";

    internal static TimeSpan? ParseDuration(string? iso)
    {
        if (string.IsNullOrWhiteSpace(iso))
        {
            return null;
        }

        try
        {
            return XmlConvert.ToTimeSpan(iso.Trim());
        }
        catch (FormatException)
        {
            return null;
        }
        catch (OverflowException)
        {
            return null;
        }
    }
}

using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
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
                ? "direct"
                : "via " + AdaptiveCardText.Plain(service.Via, limits.Name);
            var facts = new JsonArray();
            var elapsed = Duration(service.Elapsed, limits);
            var projected = ParseDuration(service.Projected);
            if (projected is { } p && ParseDuration(service.Elapsed) is { } e && p > e)
            {
                elapsed += AdaptiveCardText.EscapeMarkdown(" · projected " + HumanText.Duration(p));
            }

            facts.Add(Fact("Elapsed", elapsed));
            facts.Add(Fact("RTO", Duration(service.Rto, limits)));
            facts.Add(Fact("MTPD", Duration(service.Mtpd, limits)));
            facts.Add(Fact("Invoke by", InvokeBy(service.LatestSafeInvocation, model.At, limits)));
            body.Add(new JsonObject
            {
                ["type"] = "Container",
                ["separator"] = !first,
                ["spacing"] = "Small",
                ["items"] = new JsonArray
                {
                    Text(AdaptiveCardText.EscapeMarkdown(name.Length > 0 ? name : "(unnamed service)"), weight: "Bolder"),
                    Text(AdaptiveCardText.EscapeMarkdown(Inv($"Tier {service.Tier} · {impact}")), subtle: true, spacing: "None"),
                    new JsonObject { ["type"] = "FactSet", ["spacing"] = "Small", ["facts"] = facts },
                },
            });
            first = false;
        }

        var more = model.Services.Count - Math.Min(limits.Services, model.Services.Count);
        if (more > 0)
        {
            body.Add(Text(Inv($"and {more} more {(more == 1 ? "service" : "services")}"), subtle: true, spacing: "Small"));
        }
    }

    internal static void Plan(JsonArray body, AlertCardModel model, CardLimits limits)
    {
        body.Add(Heading("Plan"));
        var title = AdaptiveCardText.Plain(model.PlanTitle, limits.Title);
        var id = AdaptiveCardText.Plain(model.PlanId, limits.Name);
        var version = AdaptiveCardText.Plain(model.PlanVersion, 40);
        var details = string.Join(", ", new[] { id, version.Length > 0 ? "version " + version : string.Empty }.Where(s => s.Length > 0));
        var line = title.Length > 0 ? title + (details.Length > 0 ? $" ({details})" : string.Empty) : details;
        body.Add(Text(AdaptiveCardText.EscapeMarkdown(line), weight: "Bolder", spacing: "Small"));
        foreach (var document in model.Documents.Take(limits.Documents))
        {
            var name = AdaptiveCardText.Plain(document.Name, limits.Name);
            body.Add(Text(AdaptiveCardText.MarkdownLink(name.Length > 0 ? name : "document", document.Link), spacing: "None"));
        }

        var more = model.Documents.Count - Math.Min(limits.Documents, model.Documents.Count);
        if (more > 0)
        {
            body.Add(Text(Inv($"and {more} more {(more == 1 ? "document" : "documents")}"), subtle: true, spacing: "None"));
        }
    }

    internal static void Reasons(JsonArray body, AlertCardModel model, CardLimits limits)
    {
        var reasons = model.Reasons.Select(r => AdaptiveCardText.Plain(r, limits.Reason)).Where(r => r.Length > 0).ToList();
        if (reasons.Count == 0 && string.IsNullOrWhiteSpace(model.Elsewhere))
        {
            return;
        }

        body.Add(Heading("Why"));
        foreach (var reason in reasons.Take(limits.Reasons))
        {
            body.Add(Text("• " + AdaptiveCardText.EscapeMarkdown(reason), spacing: "None"));
        }

        var more = reasons.Count - Math.Min(limits.Reasons, reasons.Count);
        if (more > 0)
        {
            body.Add(Text(Inv($"and {more} more {(more == 1 ? "reason" : "reasons")}"), subtle: true, spacing: "None"));
        }

        if (AdaptiveCardText.Plain(model.Elsewhere, limits.Reason) is { Length: > 0 } elsewhere)
        {
            body.Add(Text(AdaptiveCardText.EscapeMarkdown(elsewhere), subtle: true, spacing: "Small"));
        }
    }

    internal static void Paged(JsonArray body, AlertCardModel model, CardLimits limits)
    {
        if (model.Paged.Count == 0)
        {
            return;
        }

        body.Add(Heading("Paged"));
        var facts = new JsonArray();
        foreach (var tier in model.Paged.Take(limits.Tiers))
        {
            // Names and UPNs of the roster only: nothing else about a person goes on a card.
            var people = tier.People.Select(p => AdaptiveCardText.Plain(p, limits.Name)).Where(p => p.Length > 0).ToList();
            var shown = string.Join(", ", people.Take(limits.People));
            if (people.Count > limits.People)
            {
                shown += Inv($" and {people.Count - limits.People} more");
            }

            var value = (shown.Length > 0 ? shown : "nobody on the roster") + " · " + HumanText.Time(tier.At);
            facts.Add(Fact(Inv($"Tier {tier.Tier + 1}"), AdaptiveCardText.EscapeMarkdown(value)));
        }

        var more = model.Paged.Count - Math.Min(limits.Tiers, model.Paged.Count);
        if (more > 0)
        {
            facts.Add(Fact("…", AdaptiveCardText.EscapeMarkdown(Inv($"and {more} more {(more == 1 ? "tier" : "tiers")}"))));
        }

        body.Add(new JsonObject { ["type"] = "FactSet", ["spacing"] = "Small", ["facts"] = facts });
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
            body.Add(Text($"[Join the crisis bridge]({bridge})", spacing: "Small"));
        }

        if (warRoom is not null)
        {
            body.Add(Text($"[Open the war room]({warRoom})", spacing: "None"));
        }
    }

    internal static JsonArray? Actions(AlertCardModel model)
    {
        if (model.Actions is not { } links || model.Kind == AlertCardKind.StandDown)
        {
            return null;
        }

        var actions = new JsonArray();
        AddAction(actions, "Acknowledge", links.Acknowledge, "positive");
        AddAction(actions, "Invoke plan", links.Invoke, "destructive");
        AddAction(actions, "Stand down", links.StandDown, null);
        AddAction(actions, "Open incident", links.OpenIncident ?? model.SourceLink, null);
        return actions;
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

    internal static string InvokeBy(string latestSafeInvocation, DateTimeOffset at, CardLimits limits)
    {
        if (DateTimeOffset.TryParse(latestSafeInvocation, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var deadline))
        {
            return AdaptiveCardText.EscapeMarkdown($"{HumanText.Time(deadline)} · {AdaptiveCardRenderer.TimeLeft(deadline, at)}");
        }

        return AdaptiveCardText.Markdown(latestSafeInvocation, limits.Name);
    }

    internal static string Duration(string iso, CardLimits limits) =>
        ParseDuration(iso) is { } value ? AdaptiveCardText.EscapeMarkdown(HumanText.Duration(value)) : AdaptiveCardText.Markdown(iso, limits.Name);

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

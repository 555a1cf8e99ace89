using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ContinuityHub.Notifications;

/// <summary>
/// The delivery steps the hub records in its ledger. The numbers are part of every ledger id: never renumber a step
/// nor reuse a number; renaming a member changes nothing stored, so a step renamed while entries are in flight is
/// never sent twice. A step whose meaning changes gets a new <see cref="StepKey.Version"/>.
/// </summary>
public enum DeliveryStep
{
    /// <summary>The entry's message in the crisis channel: the alert card, or a reply when the conversation exists.</summary>
    Message = 1,

    LevelChangeReply = 2,

    StandDownReply = 3,

    EscalationReply = 4,

    AcknowledgedReply = 5,

    InvokedReply = 6,

    StoodDownReply = 7,

    /// <summary>A person's activity-feed notification.</summary>
    Activity = 8,

    /// <summary>A person's e-mail, when the activity feed cannot reach them.</summary>
    Mail = 9,

    Bridge = 10,

    WarRoom = 11,

    WarRoomMember = 12,

    Audit = 13,

    PlanInvoked = 14,

    /// <summary>The plan owner's e-mail that the notifications account must sign in again.</summary>
    SignInMail = 15,

    /// <summary>The continuity report's summary card in the continuity channel.</summary>
    ReportCard = 16,

    /// <summary>The note written back to the record the incident came from (ServiceNow, Jira, PagerDuty, Opsgenie).</summary>
    WriteBackNote = 17,

    /// <summary>A plan's automation request (webhook or Service Bus), once per incident.</summary>
    AutomationRequest = 18,

    /// <summary>The reply in the conversation saying what an automation reported, or that it did not report in time.</summary>
    AutomationReply = 19,

    /// <summary>A maintenance window's start or end, said in the crisis channel of each plan covering a tier-1 or tier-2 service in it.</summary>
    MaintenanceNotice = 20,
}

/// <summary>A delivery step and the version of its meaning: the typed part of a ledger id.</summary>
public readonly record struct StepKey(DeliveryStep Step, int Version = 1)
{
    /// <summary>The channel the step goes through, as the ledger shows it.</summary>
    public string Channel => Step switch
    {
        DeliveryStep.Message => "channel",
        DeliveryStep.LevelChangeReply or DeliveryStep.StandDownReply or DeliveryStep.EscalationReply
            or DeliveryStep.AcknowledgedReply or DeliveryStep.InvokedReply or DeliveryStep.StoodDownReply or DeliveryStep.AutomationReply => "reply",
        DeliveryStep.Activity => "activity",
        DeliveryStep.Mail or DeliveryStep.SignInMail => "mail",
        DeliveryStep.Bridge => "bridge",
        DeliveryStep.WarRoom or DeliveryStep.WarRoomMember => "warroom",
        DeliveryStep.Audit => "audit",
        DeliveryStep.PlanInvoked => "event",
        DeliveryStep.ReportCard or DeliveryStep.MaintenanceNotice => "card",
        DeliveryStep.WriteBackNote => "writeback",
        DeliveryStep.AutomationRequest => "automation",
        _ => "other",
    };

    /// <summary>The step as people read it in the ledger and in delivery problems.</summary>
    public string Name => Version == 1 ? Step.ToString() : string.Create(CultureInfo.InvariantCulture, $"{Step}.v{Version}");

    /// <summary>
    /// The idempotency key of this step for one recipient within <paramref name="scope"/> (the outbox entry, or a
    /// day): 32 hex digits of the SHA-256 of the step's number and version and the other parts.
    /// </summary>
    public string Id(string incidentKey, string plan, string recipient, string scope)
    {
        var text = string.Join('\n', incidentKey, plan, string.Create(CultureInfo.InvariantCulture, $"{(int)Step}.{Version}"), recipient.ToUpperInvariant(), scope);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }

    public override string ToString() => Name;
}

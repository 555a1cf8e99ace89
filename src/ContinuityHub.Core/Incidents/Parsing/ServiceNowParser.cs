using System.Globalization;
using System.Text.Json;
using ContinuityHub.Catalog;

namespace ContinuityHub.Incidents.Parsing;

/// <summary>
/// A ServiceNow incident record, bare or as the Table API's <c>{"result": {…}}</c>. Each field is a plain string
/// or, with <c>sysparm_display_value=all</c>, <c>{"value", "display_value"}</c> (reference fields add a <c>link</c>).
/// The configuration item and business service name what is affected: each is one reference, so both its value
/// (a sys_id) and its display value become aliases, value first, and either may match the catalogue.
/// </summary>
public sealed class ServiceNowParser : IIncidentParser
{
    private static readonly (string, IncidentState)[] _states =
    [
        ("1", IncidentState.Open), ("2", IncidentState.Open), ("3", IncidentState.Open),
        ("6", IncidentState.Resolved), ("7", IncidentState.Closed), ("8", IncidentState.Closed),
        ("New", IncidentState.Open), ("In Progress", IncidentState.Open), ("On Hold", IncidentState.Open),
        ("Resolved", IncidentState.Resolved), ("Closed", IncidentState.Closed), ("Canceled", IncidentState.Closed),
    ];

    public AliasSource Source => AliasSource.ServiceNow;

    public Incident Parse(JsonElement root) => PayloadReader.Read(root, Source, static (r, payload) =>
    {
        var record = ReadRecord(r, payload);
        var sysId = ServiceNowField.Read(r, record, "sys_id");
        var number = ServiceNowField.Read(r, record, "number");
        var externalId = sysId.Code ?? number.Code;
        if (externalId is null && sysId.Shape != ServiceNowFieldShape.Invalid && number.Shape != ServiceNowFieldShape.Invalid && record.Exists)
        {
            r.Problem(record.PathOf("sys_id"), "is required (or number)");
        }

        var title = ServiceNowField.Read(r, record, "short_description");
        Require(r, record, "short_description", title);
        var majorState = ServiceNowField.Read(r, record, "major_incident_state");
        var ci = ServiceNowField.Read(r, record, "cmdb_ci");
        var service = ServiceNowField.Read(r, record, "business_service");
        return new IncidentDraft
        {
            ExternalId = externalId,
            ExternalIdPath = record.PathOf(sysId.Code is not null ? "sys_id" : "number"),
            Title = title.Text,
            Priority = ReadPriority(r, record, out var named),
            SourcePriority = named,
            Markers = [majorState.Value, majorState.Display, .. Category(r, record)],
            Major = "accepted".Equals(majorState.Value, StringComparison.OrdinalIgnoreCase)
                || "accepted".Equals(majorState.Display, StringComparison.OrdinalIgnoreCase),
            State = ReadState(r, record),
            StartedAt = ReadOpenedAt(r, record),
            Aliases = [ci.Value, ci.Display, service.Value, service.Display],
            SameThing = [(ci.Value, ci.Display), (service.Value, service.Display)],
        };
    });

    /// <summary>
    /// The record itself, the Table API's <c>{"result": {…}}</c>, or its <c>{"result": [{…}]}</c> (a query by number
    /// answers with a list): a list must hold exactly one record, since one payload is one incident.
    /// </summary>
    private static PayloadObject ReadRecord(PayloadReader r, PayloadObject payload)
    {
        if (!payload.TryGet("result", out var result))
        {
            return payload;
        }

        if (result.ValueKind != JsonValueKind.Array)
        {
            return r.Object(payload, "result", required: true);
        }

        var count = result.GetArrayLength();
        if (count != 1)
        {
            r.Problem("result", $"expected one record, found {count}");
            return PayloadObject.Missing("result");
        }

        var record = result[0];
        if (record.ValueKind != JsonValueKind.Object)
        {
            r.WrongType("result[0]", record, "an object");
            return PayloadObject.Missing("result[0]");
        }

        return new PayloadObject(record, "result[0]", true);
    }

    /// <summary>
    /// The leading digit of the value (<c>1</c>), else of the display value (<c>1 - Critical</c>). None, or a value of
    /// an instance's own scheme, is no priority unless the policy maps it: <paramref name="named"/> is the display
    /// value when there is one (what people read), else the value.
    /// </summary>
    private static Priority ReadPriority(PayloadReader r, PayloadObject record, out string? named)
    {
        var field = ServiceNowField.Read(r, record, "priority");
        named = field.Display ?? field.Value;
        return LeadingDigit(field.Value) ?? LeadingDigit(field.Display) ?? Priority.None;
    }

    private static string?[] Category(PayloadReader r, PayloadObject record)
    {
        var category = ServiceNowField.Read(r, record, "category");
        return [category.Value, category.Display];
    }

    private static Priority? LeadingDigit(string? text) =>
        text is [>= '1' and <= '5', ..] && (text.Length == 1 || !char.IsAsciiDigit(text[1])) ? (Priority)(text[0] - '0') : null;

    /// <summary>The value (<c>2</c>), else the display value (<c>In Progress</c>); absent is Open.</summary>
    private static IncidentState ReadState(PayloadReader r, PayloadObject record)
    {
        var field = ServiceNowField.Read(r, record, "state");
        if (PayloadReader.TryChoose(field.Value, _states, out var state) || PayloadReader.TryChoose(field.Display, _states, out state))
        {
            return state;
        }

        if (field.Code is { } text)
        {
            r.Problem(record.PathOf("state"), $"unknown state {PayloadReader.Quote(text)} (expected 1 New, 2 In Progress, 3 On Hold, 6 Resolved, 7 Closed, 8 Canceled)");
        }

        return IncidentState.Open;
    }

    /// <summary>
    /// The value, in UTC as <c>yyyy-MM-dd HH:mm:ss</c>. The display value is in the reading user's time zone and
    /// date format, so it is never used.
    /// </summary>
    private static DateTimeOffset? ReadOpenedAt(PayloadReader r, PayloadObject record)
    {
        var field = ServiceNowField.Read(r, record, "opened_at");
        var path = field.Shape == ServiceNowFieldShape.Object ? record.PathOf("opened_at") + ".value" : record.PathOf("opened_at");
        if (field.Value is not { } text)
        {
            if (field.Display is not null)
            {
                r.Problem(path, "is required (display_value is in the user's time zone and format)");
            }
            else
            {
                Require(r, record, "opened_at", field);
            }

            return null;
        }

        if (DateTimeOffset.TryParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return r.Keepable(time, path, text);
        }

        r.Problem(path, $"expected a UTC time as yyyy-MM-dd HH:mm:ss, got {PayloadReader.Quote(text)}");
        return null;
    }

    private static void Require(PayloadReader r, PayloadObject record, string name, ServiceNowField field)
    {
        if (field.Code is null && field.Shape != ServiceNowFieldShape.Invalid && record.Exists)
        {
            r.Problem(record.PathOf(name), "is required");
        }
    }
}

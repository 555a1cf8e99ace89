using System.Text.Json;

namespace ContinuityHub.Incidents.Parsing;

internal enum ServiceNowFieldShape
{
    Absent,
    Plain,
    Object,
    Invalid,
}

/// <summary>
/// One field of a ServiceNow record, in any of the forms the Table API and outbound REST send: a plain string
/// (the value, or with <c>sysparm_display_value=true</c> the display value), or with <c>sysparm_display_value=all</c>
/// <c>{"value", "display_value", "link"}</c>. Blank parts are null.
/// </summary>
internal readonly record struct ServiceNowField(string? Value, string? Display, ServiceNowFieldShape Shape)
{
    /// <summary>For codes, states, priorities and ids: the raw value, else the display value.</summary>
    public string? Code => Value ?? Display;

    /// <summary>For text a person reads (short_description): the display value, else the raw value.</summary>
    public string? Text => Display ?? Value;

    public static ServiceNowField Read(PayloadReader r, PayloadObject record, string name)
    {
        if (!record.TryGet(name, out var element))
        {
            return new ServiceNowField(null, null, ServiceNowFieldShape.Absent);
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return new ServiceNowField(r.String(record, name), null, ServiceNowFieldShape.Plain);
            case JsonValueKind.Object:
                var o = r.Object(record, name);
                var wrongType = IsNotString(o, "value") || IsNotString(o, "display_value");
                return new ServiceNowField(r.String(o, "value"), r.String(o, "display_value"), wrongType ? ServiceNowFieldShape.Invalid : ServiceNowFieldShape.Object);
            default:
                r.WrongType(record.PathOf(name), element, "a string or {value, display_value}");
                return new ServiceNowField(null, null, ServiceNowFieldShape.Invalid);
        }
    }

    private static bool IsNotString(PayloadObject o, string name) => o.TryGet(name, out var v) && v.ValueKind != JsonValueKind.String;
}

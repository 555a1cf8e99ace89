using System.Text.Json;
using ContinuityHub.Catalog;

namespace ContinuityHub.Incidents.Parsing;

/// <summary>
/// A Jira issue webhook (<c>{"webhookEvent": "jira:issue_created", "issue": {"key", "self", "fields": {…}}}</c>).
/// Components and labels name what is affected; an issue whose status category is <c>done</c> (or, without one, whose
/// resolution is set) is resolved, or closed when its status is Closed.
/// Priorities are Jira Cloud's (Highest..Lowest) or Jira Server/Data Center's (Blocker..Trivial) as P1..P5; a project
/// without priorities, or with a scheme of its own the policy does not map, gives an incident without a priority.
/// Labels and the issue type are the markers the policy may name as major.
/// </summary>
public sealed class JiraParser : IIncidentParser
{
    private static readonly (string, Priority)[] _priorities =
    [
        ("Highest", Priority.P1), ("High", Priority.P2), ("Medium", Priority.P3), ("Low", Priority.P4), ("Lowest", Priority.P5),
        ("Blocker", Priority.P1), ("Critical", Priority.P2), ("Major", Priority.P3), ("Minor", Priority.P4), ("Trivial", Priority.P5),
    ];

    public AliasSource Source => AliasSource.Jira;

    public Incident Parse(JsonElement root) => PayloadReader.Read(root, Source, static (r, payload) =>
    {
        var issue = r.Object(payload, "issue", required: true);
        var key = r.String(issue, "key", required: true);
        var fields = r.Object(issue, "fields", required: true);
        var priority = r.String(r.Object(fields, "priority"), "name");
        var labels = r.Strings(fields, "labels");
        return new IncidentDraft
        {
            ExternalId = key,
            ExternalIdPath = issue.PathOf("key"),
            Title = r.String(fields, "summary", required: true),
            Priority = PayloadReader.TryChoose(priority, _priorities, out var p) ? p : Priority.None,
            SourcePriority = priority,
            Markers = [.. labels, r.String(r.Object(fields, "issuetype"), "name")],
            State = ReadState(r, fields),
            StartedAt = r.Timestamp(fields, "created", required: true),
            Aliases = [.. r.Objects(fields, "components").Select(c => r.String(c, "name")), .. labels],
            Link = BrowseLink(r.String(issue, "self"), key),
        };
    });

    /// <summary>
    /// Done is the status category <c>done</c>; a payload without a status category (Jira 5 and older servers) is done
    /// when the issue's <c>resolution</c> is set. A done issue is Closed when its status is Jira's own Closed (the
    /// Server and Data Center workflow resolves an issue, then closes it), else Resolved.
    /// </summary>
    private static IncidentState ReadState(PayloadReader r, PayloadObject fields)
    {
        var status = r.Object(fields, "status");
        var category = r.Object(status, "statusCategory");
        var done = category.Exists
            ? string.Equals(r.String(category, "key"), "done", StringComparison.OrdinalIgnoreCase)
            : r.Object(fields, "resolution").Exists;
        if (!done)
        {
            return IncidentState.Open;
        }

        return string.Equals(r.String(status, "name"), "Closed", StringComparison.OrdinalIgnoreCase) ? IncidentState.Closed : IncidentState.Resolved;
    }

    /// <summary><c>https://contoso.atlassian.net/browse/OPS-1287</c> from the issue's REST <c>self</c> URL.</summary>
    private static string? BrowseLink(string? self, string? key) =>
        key is not null
        && Uri.TryCreate(self, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? $"{uri.Scheme}://{uri.Authority}/browse/{Uri.EscapeDataString(key)}"
            : null;
}

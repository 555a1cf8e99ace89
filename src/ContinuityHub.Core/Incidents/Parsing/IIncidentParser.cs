using System.Text.Json;
using ContinuityHub.Catalog;

namespace ContinuityHub.Incidents.Parsing;

/// <summary>Turns one source's webhook payload into the hub's canonical <see cref="Incident"/>.</summary>
public interface IIncidentParser
{
    AliasSource Source { get; }

    /// <summary>
    /// Reads a payload. Anything wrong with it (a missing field, a wrong JSON type, an unknown value, a malformed
    /// time) is a <see cref="HubValidationException"/> naming each field by its JSON path; never another exception.
    /// </summary>
    Incident Parse(JsonElement root);
}

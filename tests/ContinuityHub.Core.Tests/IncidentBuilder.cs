using ContinuityHub.Catalog;
using ContinuityHub.Incidents;

namespace ContinuityHub.Core.Tests;

/// <summary>Incidents for tests: an open P1 from the generic source started at <see cref="Start"/>.</summary>
internal sealed class IncidentBuilder
{
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    private AliasSource _source = AliasSource.Generic;
    private Priority _priority = Priority.P1;
    private bool _major;
    private IncidentState _state = IncidentState.Open;
    private DateTimeOffset? _eta;
    private string[] _aliases = [];

    public IncidentBuilder On(params string[] aliases)
    {
        _aliases = aliases;
        return this;
    }

    public IncidentBuilder From(AliasSource source)
    {
        _source = source;
        return this;
    }

    public IncidentBuilder WithPriority(Priority priority, bool major = false)
    {
        _priority = priority;
        _major = major;
        return this;
    }

    public IncidentBuilder InState(IncidentState state)
    {
        _state = state;
        return this;
    }

    public IncidentBuilder RestoredBy(DateTimeOffset eta)
    {
        _eta = eta;
        return this;
    }

    public Incident Build() => new(
        IncidentKey.Create(_source, "INC1"),
        _source,
        "INC1",
        "Something is down",
        _priority,
        _major || _priority == Priority.P1,
        _state,
        Start,
        _eta,
        _aliases,
        null);
}

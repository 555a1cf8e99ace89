using System.Buffers;
using System.Globalization;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;

namespace ContinuityHub.Assessment;

/// <summary>
/// The invocation clock (DESIGN section 3): which services an incident takes down, directly or through their
/// dependencies, how long each has been and will be out against its RTO and MTPD, and so how close the incident is
/// to needing a continuity plan invoked. Pure: the same incident, catalogue and moment give the same assessment.
/// </summary>
public static class InvocationClock
{
    public static IncidentAssessment Assess(Incident incident, CatalogIndex catalog, DateTimeOffset at)
    {
        // The clock runs in whole seconds, so the times and durations it reports agree with each other exactly.
        at = at.ToUniversalTime();
        at = at.AddTicks(-(at.UtcTicks % TimeSpan.TicksPerSecond));
        var services = catalog.Services;

        // 1. Direct matches, then everything that depends on them (breadth first: `via` is the nearest cause).
        // via[s]: 0 not impacted, -1 direct, k + 1 impacted through service k. Pooled: the catalogue may be large.
        var via = ArrayPool<int>.Shared.Rent(services.Count);
        try
        {
            Array.Clear(via, 0, services.Count);
            return Assess(incident, catalog, at, via);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(via);
        }
    }

    private static IncidentAssessment Assess(Incident incident, CatalogIndex catalog, DateTimeOffset at, int[] via)
    {
        // The policy's priority names and major markers, also for an incident stored before the policy changed.
        incident = incident.Under(catalog.Policy);
        var services = catalog.Services;
        var reasons = new List<string>();
        var order = new List<int>();
        List<string>? unknown = null;
        foreach (var alias in incident.Aliases)
        {
            var s = catalog.Resolve(incident.Source, alias);
            if (s < 0)
            {
                // One name of a thing that has two (ServiceNow value / display value) is unknown only if both are.
                if (incident.OtherNameOf(alias) is not { } other || catalog.Resolve(incident.Source, other) < 0)
                {
                    (unknown ??= []).Add(alias);
                }
            }
            else if (via[s] == 0)
            {
                via[s] = -1; // direct
                order.Add(s);
            }
        }

        for (var head = 0; head < order.Count; head++)
        {
            var current = order[head];
            foreach (var dependent in catalog.DependentsOf(current))
            {
                if (via[dependent] == 0)
                {
                    via[dependent] = current + 1;
                    order.Add(dependent);
                }
            }
        }

        // 2. The clock of each impacted service.
        var policy = catalog.Policy;
        var elapsed = at > incident.StartedAt ? at - incident.StartedAt : TimeSpan.Zero;
        var projected = incident.EstimatedRestoreAt is { } eta && eta - incident.StartedAt > elapsed ? eta - incident.StartedAt : elapsed;
        var closed = incident.State is IncidentState.Resolved or IncidentState.Closed;
        // Without a priority nothing says the incident is minor: its clock runs as an assessed one's does.
        var assessed = incident.Major || incident.Priority == Priority.None || policy.AssessPriorities.Contains(incident.Priority);
        var severe = incident.Priority == Priority.P1 || incident.Major;

        // A heartbeat's incident is about data, not an outage: its clock is the exposure against the RPO.
        var rpo = incident.Source == AliasSource.Heartbeat;
        var clocks = new List<ServiceClock>(order.Count);
        var level = AssessmentLevel.None;
        List<string>? plans = null;
        var monitored = 0;
        foreach (var s in order)
        {
            var service = services[s];
            var plan = catalog.PlanOf(s);
            var outsideExercise = false;
            if (incident.Exercise is { } exercise && plan?.Id != exercise.Plan)
            {
                // An exercise alerts its own plan only: a service the plan covers is clocked by it, any other is watched.
                var own = catalog.Catalog.Plans.FirstOrDefault(p => p.Id == exercise.Plan);
                plan = own is not null && own.Services.Contains(service.Id, StringComparer.Ordinal) ? own : plan;
                outsideExercise = plan?.Id != exercise.Plan;
            }

            var latestSafe = rpo ? incident.StartedAt + service.Rpo : incident.StartedAt + service.Rto - (plan?.RecoveryTime ?? TimeSpan.Zero);
            var serviceLevel = closed ? AssessmentLevel.None
                : rpo ? RpoLevel(service, via[s] == -1 ? null : services[Root(via, s)], incident.StartedAt, elapsed, policy, reasons)
                : !assessed ? AssessmentLevel.Monitor
                : Level(service, plan, projected, at, latestSafe, severe, policy, reasons);
            // Planned work on the service, or on the service its impact comes from: recorded and assessed, capped at Monitor.
            if (!closed && catalog.Catalog.Maintenance.Count > 0)
            {
                serviceLevel = Maintenance(catalog, service, via[s] == -1 ? null : services[Root(via, s)], incident, at, serviceLevel, reasons);
            }

            if (outsideExercise && serviceLevel > AssessmentLevel.Monitor)
            {
                reasons.Add($"{service.Name}: outside exercise {incident.Exercise!.ExerciseId} (its plan is {plan?.Id ?? "none"}; the exercise's is {incident.Exercise.Plan}): capped at Monitor, nobody else hears of it.");
                serviceLevel = AssessmentLevel.Monitor;
            }

            if (serviceLevel == AssessmentLevel.Monitor)
            {
                monitored++;
            }

            if (serviceLevel >= AssessmentLevel.Alert && plan is not null && !(plans ??= []).Contains(plan.Id))
            {
                plans.Add(plan.Id);
            }

            level = serviceLevel > level ? serviceLevel : level;
            clocks.Add(new ServiceClock(
                service.Id,
                service.Name,
                service.Tier,
                via[s] == -1,
                via[s] > 0 ? services[via[s] - 1].Id : null,
                elapsed,
                projected,
                service.Rto,
                service.Mtpd,
                latestSafe,
                plan?.Id,
                serviceLevel));
        }

        // 3. What the whole incident comes to, in words.
        if (incident.Priority == Priority.None && !closed && order.Count > 0)
        {
            reasons.Add(NoPriority(incident));
        }

        if (closed)
        {
            reasons.Add($"Incident is {incident.State}: nothing to invoke; any crisis team alerted stands down.");
        }
        else if (order.Count == 0)
        {
            reasons.Add("No catalogued service matches the incident's aliases, so nothing is impacted.");
        }
        else if (!assessed && !rpo)
        {
            reasons.Add($"Priority {incident.Priority} is not assessed for invocation (policy assesses {string.Join(", ", policy.AssessPriorities)}) and the incident is not major: monitoring {order.Count} impacted service(s).");
        }
        else if (monitored > 0)
        {
            reasons.Add($"{monitored} impacted service(s) within their clocks: Monitor.");
        }

        if (unknown is not null)
        {
            reasons.Add($"Unknown aliases (matching no catalogued service from {CatalogNames.Name(incident.Source)}): {string.Join(", ", unknown)}.");
        }

        return new IncidentAssessment(level, incident, at, clocks, plans ?? [], unknown ?? [], reasons);
    }

    /// <summary>
    /// The level of a service under a maintenance window now (its own, or the cause's): capped at Monitor, with the
    /// window in the reasons. A service whose incident began inside a window that has ended is assessed as any other,
    /// from the incident's real start, and the reasons say so.
    /// </summary>
    private static AssessmentLevel Maintenance(CatalogIndex catalog, BusinessService service, BusinessService? cause, Incident incident, DateTimeOffset at, AssessmentLevel level, List<string> reasons)
    {
        var windows = catalog.Catalog.Maintenance;
        var calendar = catalog.Policy.Calendar;
        var now = MaintenanceCalendar.For(windows, service.Id, calendar, at) ?? (cause is null ? null : MaintenanceCalendar.For(windows, cause.Id, calendar, at));
        if (now is { } held)
        {
            if (level > AssessmentLevel.Monitor)
            {
                var why = cause is not null && !held.Window.Services.Contains(service.Id, StringComparer.Ordinal) ? $" on {cause.Name}" : string.Empty;
                reasons.Add($"{service.Name}: maintenance window {held.Window.Id}{why} ({held.Window.Reason}; approved by {held.Window.ApprovedBy}) until {HumanText.Time(held.End)}: capped at Monitor, no alert, escalation or automation.");
                return AssessmentLevel.Monitor;
            }

            return level;
        }

        var began = MaintenanceCalendar.For(windows, service.Id, calendar, incident.StartedAt) ?? (cause is null ? null : MaintenanceCalendar.For(windows, cause.Id, calendar, incident.StartedAt));
        if (began is { } ended && level >= AssessmentLevel.Alert)
        {
            reasons.Add($"{service.Name}: the incident began during maintenance window {ended.Window.Id}, which ended at {HumanText.Time(ended.End)}; its clock counts from its real start, {HumanText.Time(incident.StartedAt)}.");
        }

        return level;
    }

    /// <summary>The directly impacted service a dependent's impact comes from, through its chain of dependencies.</summary>
    private static int Root(int[] via, int s)
    {
        while (via[s] > 0)
        {
            s = via[s] - 1;
        }

        return s;
    }

    /// <summary>
    /// The RPO clock of a heartbeat's incident: the service whose recovery point is <paramref name="exposure"/> old is
    /// at Alert from <see cref="Policy.RpoWarnFraction"/> of its RPO and past it at RecommendInvocation (the crisis team
    /// decides; the clock never invokes on data alone). A service that depends on it is marked at risk, at Monitor.
    /// </summary>
    private static AssessmentLevel RpoLevel(BusinessService service, BusinessService? via, DateTimeOffset recoveryPoint, TimeSpan exposure, Policy policy, List<string> reasons)
    {
        var ago = HumanText.Duration(exposure);
        if (via is not null)
        {
            if (exposure >= via.Rpo)
            {
                reasons.Add($"{service.Name}: at risk: it depends on {via.Name}, whose RPO is breached (data since {HumanText.Time(recoveryPoint)} may be lost).");
            }

            return AssessmentLevel.Monitor;
        }

        if (exposure >= service.Rpo)
        {
            reasons.Add($"{service.Name}: RPO breached: last recovery point {ago} ago, RPO {HumanText.Duration(service.Rpo)}; changes since {HumanText.Time(recoveryPoint)} are at risk.");
            return AssessmentLevel.RecommendInvocation;
        }

        if (exposure.Ticks >= (long)(service.Rpo.Ticks * policy.RpoWarnFraction))
        {
            reasons.Add($"{service.Name}: RPO at risk: last recovery point {ago} ago, RPO {HumanText.Duration(service.Rpo)}; breached at {HumanText.Time(recoveryPoint + service.Rpo)}.");
            return AssessmentLevel.Alert;
        }

        reasons.Add($"{service.Name}: last recovery point {ago} ago, within {(policy.RpoWarnFraction * 100).ToString("0.#", CultureInfo.InvariantCulture)}% of RPO {HumanText.Duration(service.Rpo)}.");
        return AssessmentLevel.Monitor;
    }

    private static string NoPriority(Incident incident)
    {
        var source = CatalogNames.Name(incident.Source);
        var named = incident.SourcePriority is { } name
            ? $"its priority '{HumanText.Truncate(name, 40)}' is not one the hub knows and policy.priorities.{source} does not map it"
            : $"{source} sent no priority";
        return $"The incident has no priority ({named}): each impacted service is assessed on its own clock.";
    }

    private static AssessmentLevel Level(
        BusinessService service,
        ContinuityPlan? plan,
        TimeSpan projected,
        DateTimeOffset at,
        DateTimeOffset latestSafe,
        bool severe,
        Policy policy,
        List<string> reasons)
    {
        var pastMtpd = projected >= service.Mtpd;
        var pastSafe = at >= latestSafe;
        if (pastMtpd || pastSafe)
        {
            var invoke = plan is { AutoInvoke: true };
            var decision = plan is null ? "no plan covers it: invocation needs a human decision"
                : invoke ? $"plan {plan.Id} allows automatic invocation"
                : $"plan {plan.Id} needs a human decision to invoke";
            if (pastMtpd)
            {
                reasons.Add($"{service.Name}: projected outage {HumanText.Duration(projected)} {(projected == service.Mtpd ? "reaches" : "exceeds")} MTPD {HumanText.Duration(service.Mtpd)}; {decision}.");
            }

            if (pastSafe)
            {
                var recovery = plan is null ? string.Empty : $" − plan recovery {HumanText.Duration(plan.RecoveryTime)}";
                reasons.Add($"{service.Name}: latest safe invocation time {HumanText.Time(latestSafe)} (start + RTO {HumanText.Duration(service.Rto)}{recovery}) has {(at == latestSafe ? "come" : "passed")}; {decision}.");
            }

            return invoke ? AssessmentLevel.Invoke : AssessmentLevel.RecommendInvocation;
        }

        var threshold = TimeSpan.FromTicks((long)(service.Rto.Ticks * policy.AlertFraction));
        var alert = false;
        if (projected >= threshold)
        {
            reasons.Add($"{service.Name}: projected outage {HumanText.Duration(projected)} reaches {(policy.AlertFraction * 100).ToString("0.#", CultureInfo.InvariantCulture)}% of RTO {HumanText.Duration(service.Rto)}; latest safe invocation {HumanText.Time(latestSafe)}.");
            alert = true;
        }

        if (severe && service.Tier == 1)
        {
            reasons.Add($"{service.Name}: a P1 or major incident on a tier-1 service; latest safe invocation {HumanText.Time(latestSafe)}.");
            alert = true;
        }

        return alert ? AssessmentLevel.Alert : AssessmentLevel.Monitor;
    }
}

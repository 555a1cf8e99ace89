using BenchmarkDotNet.Attributes;
using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Intake;
using ContinuityHub.Reporting;

namespace ContinuityHub.Benchmarks;

/// <summary>
/// The continuity report for a large organisation (issue 6's target: 5,000 services and 2,000 plans in under 2 seconds
/// and 200 MB): building it, and each of its three renderings, from a synthetic catalogue with 6,000 exercises,
/// 4,500 findings and 300 incident histories of the week.
/// </summary>
/// <remarks>dotnet run -c Release --project tests/ContinuityHub.Benchmarks -- --filter '*Report*'</remarks>
[MemoryDiagnoser]
public class ReportBenchmarks
{
    private ContinuityCatalog _catalog = null!;
    private IncidentHistory[] _incidents = null!;
    private ContinuityReport _report = null!;

    [GlobalSetup]
    public void Setup()
    {
        (_catalog, _incidents) = SyntheticReportData.Build(services: 5_000, plans: 2_000, incidents: 300);
        _report = ContinuityReportBuilder.Build(_catalog, _incidents, SyntheticReportData.ReportDate, SyntheticReportData.PeriodStart);
    }

    /// <summary>What the timer does: build the report and write all three files' contents.</summary>
    [Benchmark(Baseline = true)]
    public int BuildAndRenderAll()
    {
        var report = ContinuityReportBuilder.Build(_catalog, _incidents, SyntheticReportData.ReportDate, SyntheticReportData.PeriodStart);
        return ReportRenderer.ToJson(report).Length + ReportRenderer.ToCsv(report, _catalog).Length + ReportRenderer.ToHtml(report, _catalog).Length;
    }

    [Benchmark]
    public ContinuityReport Build() => ContinuityReportBuilder.Build(_catalog, _incidents, SyntheticReportData.ReportDate, SyntheticReportData.PeriodStart);

    [Benchmark]
    public string ToJson() => ReportRenderer.ToJson(_report);

    [Benchmark]
    public string ToCsv() => ReportRenderer.ToCsv(_report, _catalog);

    [Benchmark]
    public string ToHtml() => ReportRenderer.ToHtml(_report, _catalog);
}

/// <summary>
/// A large programme with something in every section: plan i covers services 2i and 2i+1 and, for the last 1,000
/// services, a second plan as well; one plan in 20 is a Draft and one in 25 Retired; reviews, BIA dates, exercise
/// results, recovery times and findings spread so that every list has entries.
/// </summary>
internal static class SyntheticReportData
{
    public static readonly DateOnly ReportDate = new(2026, 11, 23);
    public static readonly DateOnly PeriodStart = ReportDate.AddDays(-7);

    public static (ContinuityCatalog Catalog, IncidentHistory[] Incidents) Build(int services, int plans, int incidents)
    {
        var random = new Random(22301);
        var serviceList = new List<BusinessService>(services);
        for (var i = 0; i < services; i++)
        {
            serviceList.Add(new BusinessService(
                $"svc-{i:D5}",
                $"Service {i} ({(i % 3 == 0 ? "payments, \"core\"" : "platform")})",
                1 + (i % 4),
                TimeSpan.FromHours(1 + (i % 8)),
                TimeSpan.FromMinutes(15),
                TimeSpan.FromHours(12 + (i % 12)),
                $"owner{i % 300}@contoso.com",
                i > 10 ? [$"svc-{i / 2:D5}"] : [],
                new Dictionary<AliasSource, IReadOnlyList<string>> { [AliasSource.ServiceNow] = [$"CI{i:D7}"] },
                i % 17 == 0 ? null : ReportDate.AddDays(-random.Next(0, 500))));
        }

        var planList = new List<ContinuityPlan>(plans);
        var exercises = new List<Exercise>(plans * 3);
        for (var p = 0; p < plans; p++)
        {
            var covered = new List<string> { $"svc-{(2 * p) % services:D5}", $"svc-{((2 * p) + 1) % services:D5}" };
            if (services > 4_000)
            {
                covered.Add($"svc-{4_000 + (p % (services - 4_000)):D5}");
            }

            var id = $"plan-{p:D4}";
            planList.Add(new ContinuityPlan(
                id,
                $"Recovery plan {p} <{(p % 2 == 0 ? "DR" : "BR")}>",
                p % 2 == 0 ? PlanType.DisasterRecovery : PlanType.BusinessRecovery,
                "1.0",
                p % 20 == 0 ? PlanStatus.Draft : p % 25 == 1 ? PlanStatus.Retired : PlanStatus.Approved,
                $"manager{p % 50}@contoso.com",
                covered,
                TimeSpan.FromMinutes(30 + (p % 10 * 30)),
                p % 3 == 0,
                ReportDate.AddDays(-300),
                ReportDate.AddDays(random.Next(-60, 300)),
                null,
                []));

            var measured = TimeSpan.FromMinutes(30 + random.Next(0, 600));
            var completed = ReportDate.AddDays(-random.Next(1, 420));
            exercises.Add(new Exercise(
                $"ex-{p:D4}-a",
                id,
                ExerciseType.Full,
                completed.AddDays(-random.Next(0, 12)),
                completed,
                (ExerciseResult)random.Next(0, 3),
                measured,
                [
                    new Finding($"F-{p:D4}-1", $"Finding {p}: the runbook step {p % 40} was out of date", $"owner{p % 300}@contoso.com", completed.AddDays(60), p % 3 == 0 ? null : completed.AddDays(random.Next(10, 90))),
                    .. p % 4 == 0 ? [new Finding($"F-{p:D4}-2", "=cmd|' /C calc'!A0", "x@contoso.com", completed.AddDays(120), null)] : Array.Empty<Finding>(),
                ]));
            exercises.Add(new Exercise($"ex-{p:D4}-b", id, ExerciseType.Walkthrough, completed.AddDays(-400), completed.AddDays(-400), ExerciseResult.Passed, null, []));
            exercises.Add(new Exercise($"ex-{p:D4}-c", id, (ExerciseType)(p % 4), ReportDate.AddDays(random.Next(-40, 120)), null, null, null, []));
        }

        var catalog = new ContinuityCatalog(Policy.Default, serviceList, planList, exercises);
        var histories = new IncidentHistory[incidents];
        var from = new DateTimeOffset(PeriodStart.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        for (var n = 0; n < incidents; n++)
        {
            histories[n] = History(n, from.AddMinutes(random.Next(0, 7 * 24 * 60)), serviceList, random);
        }

        return (catalog, histories);
    }

    private static IncidentHistory History(int n, DateTimeOffset start, List<BusinessService> services, Random random)
    {
        var incident = new Incident(
            IncidentKey.Create(AliasSource.ServiceNow, $"INC{n:D7}"),
            AliasSource.ServiceNow,
            $"INC{n:D7}",
            $"Outage {n}",
            Priority.P1,
            true,
            n % 5 == 0 ? IncidentState.Open : IncidentState.Resolved,
            start,
            null,
            [$"CI{n:D7}"],
            null);
        var impacted = Enumerable.Range(0, 5).Select(_ => services[random.Next(services.Count)]).ToList();
        var steps = new[] { AssessmentLevel.Monitor, AssessmentLevel.Alert, (AssessmentLevel)random.Next(2, 5) };
        var entries = new List<AssessmentEntry>();
        var at = start;
        foreach (var level in steps)
        {
            at = at.AddMinutes(random.Next(1, 90));
            entries.Add(new AssessmentEntry(at, level, Document(incident, impacted, level, at - start)));
        }

        var events = new List<IncidentEvent> { new("e1", start, IntakeChannel.Http, $"intake-archive/{n}-1.json", IncidentState.Open, Priority.P1, incident.Title) };
        if (incident.State == IncidentState.Resolved)
        {
            at = at.AddMinutes(random.Next(1, 600));
            events.Add(new IncidentEvent("e2", at, IntakeChannel.Http, $"intake-archive/{n}-2.json", IncidentState.Resolved, Priority.P1, incident.Title));
            entries.Add(new AssessmentEntry(at, AssessmentLevel.None, Document(incident, impacted, AssessmentLevel.None, at - start)));
        }

        var stored = new StoredIncident(incident, entries[^1].Level, entries[^1].Assessment, start, at, [], "etag");
        return new IncidentHistory(stored, events, entries);
    }

    private static AssessmentDocument Document(Incident incident, List<BusinessService> impacted, AssessmentLevel level, TimeSpan elapsed) => new(
        level.ToString(),
        AssessmentJson.ToDocument(incident),
        AssessmentJson.Time(incident.StartedAt + elapsed),
        [.. impacted.Select(s => new ServiceClockDocument(
            s.Id, s.Name, s.Tier, true, null, AssessmentJson.Duration(elapsed), AssessmentJson.Duration(elapsed), AssessmentJson.Duration(s.Rto),
            AssessmentJson.Duration(s.Mtpd), AssessmentJson.Time(incident.StartedAt + s.Rto), null, level.ToString()))],
        [],
        [],
        []);
}

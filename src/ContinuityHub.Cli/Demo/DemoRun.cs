namespace ContinuityHub.Cli.Demo;

/// <summary>What <c>hub demo</c> played and left behind: written as <c>timeline.json</c> and drawn as <c>index.html</c>.</summary>
/// <param name="StartedAt">The simulated clock's start (the real time the demo began).</param>
/// <param name="OutputDirectory">The full path of <c>demo-output/</c>.</param>
public sealed record DemoRun(
    DateTimeOffset StartedAt,
    string OutputDirectory,
    IReadOnlyList<DemoStep> Steps,
    IReadOnlyList<DemoCard> Cards,
    IReadOnlyList<DemoFile> Files,
    DemoSummary Summary);

/// <summary>One line of the timeline.</summary>
/// <param name="At">Simulated time of the step.</param>
/// <param name="What">What happened, in one sentence ("Azure Monitor: Sev1 on SQL Managed Instance (rg-sql-mi-prod)").</param>
/// <param name="Who">Who heard of it ("crisis teams of dr-ledger, dr-payments: 4 people paged"), or empty.</param>
/// <param name="Kind">What kind of step: signal, alert, update, clock, recommendation, decision, invoked, escalation, resolved, stand-down, report.</param>
/// <param name="Files">The files the step produced, relative to the output directory (forward slashes).</param>
public sealed record DemoStep(int Number, DateTimeOffset At, string Kind, string What, string Who, IReadOnlyList<string> Files);

/// <summary>A card the hub sent to a crisis team (or the continuity channel), as Graph received it.</summary>
/// <param name="File">The card's JSON (the Adaptive Card alone), relative to the output directory: <c>cards/…json</c>.</param>
/// <param name="Plan">The plan the card is about; empty for the report card.</param>
/// <param name="Kind">alert, reply or report.</param>
/// <param name="Summary">The message's one-line summary, as Teams shows it in notifications.</param>
/// <param name="Step">The number of the <see cref="DemoStep"/> that sent it.</param>
public sealed record DemoCard(string File, string Plan, string Kind, string Summary, DateTimeOffset At, int Step);

/// <summary>A file in the output directory, for the index's list of everything.</summary>
/// <param name="Path">Relative to the output directory (forward slashes).</param>
/// <param name="Description">One line: "PlanInvoked event for dr-sql-cluster (CloudEvents JSON)".</param>
public sealed record DemoFile(string Path, string Description);

/// <summary>The closing table.</summary>
/// <param name="TimeToFirstAlert">From the first signal to the first card, in simulated time.</param>
public sealed record DemoSummary(int PlansAlerted, int Cards, int Notifications, int Decisions, TimeSpan? TimeToFirstAlert);

namespace ContinuityHub.Azure.Storage;

/// <summary>The hub's tables and blob containers, named in one place (DESIGN section 4).</summary>
public static class StorageNames
{
    public const string ServicesTable = "Services";
    public const string AliasesTable = "Aliases";
    public const string PlansTable = "Plans";
    public const string ExercisesTable = "Exercises";
    public const string PolicyTable = "Policy";
    public const string MaintenanceTable = "Maintenance";
    public const string IncidentsTable = "Incidents";
    public const string NotificationsTable = "Notifications";
    public const string AuditTable = "Audit";
    public const string HeartbeatsTable = "Heartbeats";
    public const string ExerciseRunsTable = "ExerciseRuns";
    public const string FindingsTable = "Findings";
    public const string ReviewsTable = "Reviews";

    public const string PlanDocumentsContainer = "plan-documents";
    public const string IntakeArchiveContainer = "intake-archive";
    public const string ReportsContainer = "reports";
    public const string ExerciseReportsContainer = "exercise-reports";
    public const string IncidentReviewsContainer = "incident-reviews";
    public const string TokenCacheContainer = "graph-token-cache";

    /// <summary>Every table the hub uses.</summary>
    public static IReadOnlyList<string> Tables { get; } =
        [ServicesTable, AliasesTable, PlansTable, ExercisesTable, PolicyTable, MaintenanceTable, IncidentsTable, NotificationsTable, AuditTable, HeartbeatsTable, ExerciseRunsTable, FindingsTable, ReviewsTable];

    /// <summary>Every blob container the hub uses.</summary>
    public static IReadOnlyList<string> Containers { get; } =
        [PlanDocumentsContainer, IntakeArchiveContainer, ReportsContainer, ExerciseReportsContainer, IncidentReviewsContainer, TokenCacheContainer];
}

namespace ContinuityHub.Azure;

/// <summary>
/// The app settings the hub reads in Azure, by the names they carry there: environment variables, with <c>__</c>
/// where configuration keys have <c>:</c> (<c>Storage__accountName</c> is <c>Storage:accountName</c>).
/// <c>bicep/modules/functionapp.bicep</c> sets every one of <see cref="RequiredInAzure"/>, and a test compares the
/// compiled template with this list and with what the code binds.
/// </summary>
public static class HubSettings
{
    // The Functions host's own storage (timer leases, function keys), reached with the managed identity.
    public const string HostStorageAccountName = "AzureWebJobsStorage__accountName";
    public const string HostStorageCredential = "AzureWebJobsStorage__credential";
    public const string HostStorageClientId = "AzureWebJobsStorage__clientId";

    // The hub's tables and blobs (StorageOptions).
    public const string StorageAccountName = "Storage__accountName";
    public const string StorageClientId = "Storage__clientId";

    // The incident queue (ServiceBusOptions).
    public const string ServiceBusFullyQualifiedNamespace = "ServiceBus__fullyQualifiedNamespace";
    public const string ServiceBusClientId = "ServiceBus__clientId";
    public const string ServiceBusIncidentQueue = "ServiceBus__IncidentQueue";
    public const string ServiceBusMaxDeliveryCount = "ServiceBus__MaxDeliveryCount";

    // Webhook secrets per source (WebhookAuthenticator.SecretSetting), Key Vault references in Azure.
    public const string ServiceNowSecret = "Intake__Sources__servicenow__Secret";
    public const string JiraSecret = "Intake__Sources__jira__Secret";
    public const string PagerDutySecret = "Intake__Sources__pagerduty__Secret";
    public const string OpsgenieSecret = "Intake__Sources__opsgenie__Secret";
    public const string AzureMonitorSecret = "Intake__Sources__azuremonitor__Secret";
    public const string GenericSecret = "Intake__Sources__generic__Secret";
    public const string AlertmanagerSecret = "Intake__Sources__alertmanager__Secret";

    // Timer schedules, read by the host as %Setting% binding expressions.
    public const string ReassessSchedule = "ReassessSchedule";
    public const string IncidentQueuePollSchedule = "IncidentQueuePollSchedule";
    public const string IntakeRedriveSchedule = "IntakeRedriveSchedule";
    public const string ReportSchedule = "ReportSchedule";
    public const string EscalationSchedule = "EscalationSchedule";
    public const string HeartbeatSchedule = "HeartbeatSchedule";
    public const string ExerciseSchedule = "ExerciseSchedule";
    public const string ReviewSchedule = "ReviewSchedule";
    public const string HeartbeatSecret = "Intake__Sources__heartbeat__Secret";

    // Telemetry to Application Insights, authenticated with the managed identity (Entra ID).
    public const string ApplicationInsightsConnectionString = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string ApplicationInsightsAuthenticationString = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    // Microsoft Graph for the Teams notifier (empty tenant: Graph off).
    public const string GraphTenantId = "Graph__TenantId";
    public const string GraphClientId = "Graph__ClientId";
    public const string GraphNotificationsAccount = "Graph__NotificationsAccount";
    public const string GraphMailSender = "Graph__MailSender";
    public const string GraphMeetingOrganizer = "Graph__MeetingOrganizer";
    public const string GraphTokenCacheKey = "Graph__TokenCacheKey";

    // The Teams notifications: decision links (signed with a Key Vault secret), the outbox sweep, PlanInvoked's topic.
    public const string DecisionsSigningKey = "Decisions__SigningKey";
    public const string DecisionsBaseUrl = "Decisions__BaseUrl";
    public const string NotificationSweepSchedule = "NotificationSweepSchedule";
    public const string ServiceBusEventsTopic = "ServiceBus__EventsTopic";

    // The continuity channel the weekly report's summary card goes to (empty: none).
    public const string TeamsContinuityTeamId = "Teams__ContinuityTeamId";
    public const string TeamsContinuityChannelId = "Teams__ContinuityChannelId";

    /// <summary>Write-back to the source records (<c>Reactions:Sources:{source}:BaseUrl</c>, <c>:User</c>, <c>:Token</c>; the token a Key Vault reference).</summary>
    public static IReadOnlyList<string> WriteBack { get; } =
        [
            .. new[] { "servicenow", "jira", "pagerduty", "opsgenie" }.SelectMany(source => new[] { "BaseUrl", "User", "Token" }.Select(part => $"Reactions__Sources__{source}__{part}")),
            "Reactions__Sources__azuremonitor__Enabled",
        ];

    /// <summary>The Key Vault plans' automation secrets (<c>urlSecret</c>, <c>signingSecret</c>) are read from by name, with the hub's identity.</summary>
    public const string AutomationsKeyVaultUri = "Automations__KeyVaultUri";

    /// <summary>The setting holding the webhook secret of an intake source (<c>servicenow</c>, <c>jira</c>, …).</summary>
    public static string IntakeSecret(string source) => $"Intake__Sources__{source}__Secret";

    /// <summary>The configuration key a setting name stands for (<c>Storage__accountName</c> → <c>Storage:accountName</c>).</summary>
    public static string ConfigurationKey(string setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return setting.Replace("__", ":", StringComparison.Ordinal);
    }

    /// <summary>Every setting the deployment must give the Function App.</summary>
    public static IReadOnlyList<string> RequiredInAzure { get; } =
    [
        HostStorageAccountName,
        HostStorageCredential,
        HostStorageClientId,
        StorageAccountName,
        StorageClientId,
        ServiceBusFullyQualifiedNamespace,
        ServiceBusClientId,
        ServiceBusIncidentQueue,
        ServiceBusMaxDeliveryCount,
        ServiceNowSecret,
        JiraSecret,
        PagerDutySecret,
        OpsgenieSecret,
        AzureMonitorSecret,
        GenericSecret,
        AlertmanagerSecret,
        ReassessSchedule,
        IncidentQueuePollSchedule,
        IntakeRedriveSchedule,
        ReportSchedule,
        EscalationSchedule,
        HeartbeatSchedule,
        ExerciseSchedule,
        ReviewSchedule,
        HeartbeatSecret,
        ApplicationInsightsConnectionString,
        ApplicationInsightsAuthenticationString,
        GraphTenantId,
        GraphClientId,
        GraphNotificationsAccount,
        GraphMailSender,
        GraphMeetingOrganizer,
        GraphTokenCacheKey,
        DecisionsSigningKey,
        DecisionsBaseUrl,
        NotificationSweepSchedule,
        ServiceBusEventsTopic,
        TeamsContinuityTeamId,
        TeamsContinuityChannelId,
        .. WriteBack,
        AutomationsKeyVaultUri,
    ];
}

// The Function App on the Flex Consumption plan, running as the hub's user-assigned identity. Every setting the
// code reads is set here by name (src/ContinuityHub.Azure/HubSettings.cs holds the list; a test compares them):
// identity-based connections for the host, storage and Service Bus, Key Vault references for the webhook secrets,
// the token-cache key and the decision-link signing key, the timer schedules, Application Insights with Entra ID,
// and the Graph settings for the Teams notifier. The settings are a child resource (sites/config 'appsettings')
// rather than siteConfig.appSettings, because Decisions__BaseUrl is the app's own default host name, which the site
// knows only once it exists.
// Flex Consumption takes the runtime from functionAppConfig: FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION,
// WEBSITE_RUN_FROM_PACKAGE and the content-share settings are deprecated there and must not be set.

@description('Name of the Function App (its host name is {name}.azurewebsites.net).')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Region of the plan and the app.')
param location string

@description('Tags for the plan and the app (the app also gets azd-service-name).')
param tags object

@description('Resource id of the user-assigned managed identity the app runs as.')
param identityId string

@description('Client id of that identity: the credential every connection of the hub uses.')
param identityClientId string

@description('The hub\'s storage account (host storage, deployment package, tables and blobs).')
param storageAccountName string

@description('Blob endpoint of that account, e.g. https://{account}.blob.core.windows.net/.')
param storageBlobEndpoint string

@description('Container the deployment package is uploaded to.')
param deploymentContainerName string

@description('Application Insights connection string (identifies the component; it holds no credential).')
param applicationInsightsConnectionString string

@description('Log Analytics workspace the app\'s FunctionAppLogs (the host\'s and the hub\'s own log lines) go to.')
param logAnalyticsWorkspaceId string

@description('Vault the webhook secrets, the token-cache key and the decision signing key are read from.')
param keyVaultName string

@description('Host name of the Service Bus namespace, e.g. sb-hub.servicebus.windows.net.')
param serviceBusFullyQualifiedNamespace string

@description('Queue the hub drains.')
param incidentQueueName string

@description('Deliveries of a queue message before it is dead-lettered (the drainer\'s limit too).')
param maxDeliveryCount int

@description('NCRONTAB schedule: re-assess open incidents.')
param reassessSchedule string

@description('NCRONTAB schedule: drain the incident queue.')
param incidentQueuePollSchedule string

@description('NCRONTAB schedule: re-drive archived deliveries never processed.')
param intakeRedriveSchedule string

@description('NCRONTAB schedule: write the continuity report.')
param reportSchedule string

@description('NCRONTAB schedule: escalate unacknowledged alerts.')
param escalationSchedule string
param heartbeatSchedule string

@description('NCRONTAB schedule: play the injects of running exercises.')
param exerciseSchedule string

@description('NCRONTAB schedule: draft post-incident reviews.')
param reviewSchedule string

@description('NCRONTAB schedule: deliver what the notification outbox still holds.')
param notificationSweepSchedule string

@description('Topic PlanInvoked is published to.')
param eventsTopicName string

@description('Entra tenant id for Microsoft Graph; empty until the Teams notifier is configured.')
param graphTenantId string

@description('Client id of the hub\'s app registration: the public client `hub graph login` signs the notifications account in to; empty until configured.')
param graphClientId string

@description('User principal name of the notifications account that posts channel cards (delegated); empty until configured.')
param graphNotificationsAccount string

@description('Shared mailbox the e-mail fallback is sent from (UPN); empty: no e-mail fallback.')
param graphMailSender string

@description('User who organizes bridge meetings (UPN or object id), covered by a Teams application access policy; empty: no bridge.')
param graphMeetingOrganizer string

@description('Team (group id) of the continuity channel the weekly report\'s summary card goes to; empty: none.')
param teamsContinuityTeamId string

@description('Channel id of the continuity channel; empty: none.')
param teamsContinuityChannelId string

@description('Instance memory, in MB.')
param instanceMemoryMB int

@description('Write-back to ServiceNow: its API base URL (empty: off for ServiceNow and Jira, the public API for PagerDuty and Opsgenie).')
param writeBackServiceNowBaseUrl string

@description('Write-back to ServiceNow: the user the notes are written as.')
param writeBackServiceNowUser string

@description('Write-back to Jira: its API base URL (empty: off for ServiceNow and Jira, the public API for PagerDuty and Opsgenie).')
param writeBackJiraBaseUrl string

@description('Write-back to Jira: the user the notes are written as.')
param writeBackJiraUser string

@description('Write-back to PagerDuty: its API base URL (empty: off for ServiceNow and Jira, the public API for PagerDuty and Opsgenie).')
param writeBackPagerDutyBaseUrl string

@description('Write-back to PagerDuty: the user the notes are written as.')
param writeBackPagerDutyUser string

@description('Write-back to Opsgenie: its API base URL (empty: off for ServiceNow and Jira, the public API for PagerDuty and Opsgenie).')
param writeBackOpsgenieBaseUrl string

@description('Write-back to Opsgenie: the user the notes are written as.')
param writeBackOpsgenieUser string

@description('Write-back to Azure Monitor: acknowledge alerts in Azure with the hub\'s identity.')
param writeBackAzureMonitor bool

@description('Most instances the app scales out to.')
param maximumInstanceCount int

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
    }
  }
}

resource appSettings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: site
  name: 'appsettings'
  properties: {
    // The Functions host's own storage, by identity.
    AzureWebJobsStorage__accountName: storageAccountName
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    // The hub's tables and blobs (StorageOptions).
    Storage__accountName: storageAccountName
    Storage__clientId: identityClientId
    // The incident queue (ServiceBusOptions).
    ServiceBus__fullyQualifiedNamespace: serviceBusFullyQualifiedNamespace
    ServiceBus__clientId: identityClientId
    ServiceBus__IncidentQueue: incidentQueueName
    ServiceBus__MaxDeliveryCount: string(maxDeliveryCount)
    // PlanInvoked goes to this topic (the identity may send there and nowhere else).
    ServiceBus__EventsTopic: eventsTopicName
    // Webhook secrets per source (WebhookAuthenticator), resolved from Key Vault with the identity.
    Intake__Sources__servicenow__Secret: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=intake-servicenow-secret)'
    Intake__Sources__jira__Secret: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=intake-jira-secret)'
    Intake__Sources__pagerduty__Secret: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=intake-pagerduty-secret)'
    Intake__Sources__opsgenie__Secret: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=intake-opsgenie-secret)'
    Intake__Sources__azuremonitor__Secret: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=intake-azuremonitor-secret)'
    Intake__Sources__generic__Secret: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=intake-generic-secret)'
    Intake__Sources__alertmanager__Secret: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=intake-alertmanager-secret)'
    Intake__Sources__heartbeat__Secret: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=intake-heartbeat-secret)'
    // Timer schedules (%Setting% binding expressions).
    ReassessSchedule: reassessSchedule
    IncidentQueuePollSchedule: incidentQueuePollSchedule
    IntakeRedriveSchedule: intakeRedriveSchedule
    ReportSchedule: reportSchedule
    EscalationSchedule: escalationSchedule
    HeartbeatSchedule: heartbeatSchedule
    ExerciseSchedule: exerciseSchedule
    ReviewSchedule: reviewSchedule
    NotificationSweepSchedule: notificationSweepSchedule
    // Telemetry, sent with the identity's token (the component refuses instrumentation-key-only ingestion).
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=${identityClientId}'
    // Microsoft Graph for the Teams notifier: app-only calls with this identity (the credential of Storage__clientId);
    // channel cards as the notifications account, signed in once to the app registration Graph__ClientId, whose
    // token cache (container graph-token-cache) is encrypted with a key from Key Vault.
    Graph__TenantId: graphTenantId
    Graph__ClientId: graphClientId
    Graph__NotificationsAccount: graphNotificationsAccount
    Graph__MailSender: graphMailSender
    Graph__MeetingOrganizer: graphMeetingOrganizer
    // The continuity channel the weekly report's summary card is posted to (as the notifications account).
    Teams__ContinuityTeamId: teamsContinuityTeamId
    Teams__ContinuityChannelId: teamsContinuityChannelId
    Graph__TokenCacheKey: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=graph-token-cache-key)'
    // Decision links on the cards: https://{this app}/api/decisions/{token}, signed with a key from Key Vault.
    Decisions__BaseUrl: 'https://${site.properties.defaultHostName}'
    Decisions__SigningKey: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=decisions-signing-key)'
    // Write-back of notes to the source records (Reactions:Sources): the instance and user from parameters, the token
    // from Key Vault (writeback-{source}-token, set by the platform engineer). Without the secret the reference stays
    // unresolved and the hub says at start-up that write-back to that source is off.
    Reactions__Sources__servicenow__BaseUrl: writeBackServiceNowBaseUrl
    Reactions__Sources__servicenow__User: writeBackServiceNowUser
    Reactions__Sources__servicenow__Token: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=writeback-servicenow-token)'
    Reactions__Sources__jira__BaseUrl: writeBackJiraBaseUrl
    Reactions__Sources__jira__User: writeBackJiraUser
    Reactions__Sources__jira__Token: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=writeback-jira-token)'
    Reactions__Sources__pagerduty__BaseUrl: writeBackPagerDutyBaseUrl
    Reactions__Sources__pagerduty__User: writeBackPagerDutyUser
    Reactions__Sources__pagerduty__Token: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=writeback-pagerduty-token)'
    Reactions__Sources__opsgenie__BaseUrl: writeBackOpsgenieBaseUrl
    Reactions__Sources__opsgenie__User: writeBackOpsgenieUser
    Reactions__Sources__azuremonitor__Enabled: string(writeBackAzureMonitor)
    Reactions__Sources__opsgenie__Token: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=writeback-opsgenie-token)'
    // Plans' automations name their secrets in the catalogue (urlSecret, signingSecret): the hub reads them from this
    // vault by name at run time, with its identity (Key Vault Secrets User, as for the references above).
    Automations__KeyVaultUri: 'https://${keyVaultName}${environment().suffixes.keyvaultDns}/'
  }
}

// No publishing passwords: deployments (azd, az functionapp deployment) authenticate with Entra ID.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

// The host's and the functions' log lines as resource logs (table FunctionAppLogs), next to the vault's audit log in
// the same workspace; Application Insights keeps the traces and requests.
resource functionAppLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'logs-to-log-analytics'
  scope: site
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        category: 'FunctionAppLogs'
        enabled: true
      }
    ]
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName

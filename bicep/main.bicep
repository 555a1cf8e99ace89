// ContinuityHub in one resource group: the Functions app on Flex Consumption, its storage, Service Bus, Key Vault
// and monitoring, and one user-assigned managed identity holding only the roles the hub needs. No keys anywhere:
// every connection is identity-based and every secret is a Key Vault reference.
//
//   az deployment group create -g <group> -f bicep/main.bicep -p bicep/main.dev.bicepparam   (infra/deploy.sh)
//   azd up                                                                                  (azure.yaml)
targetScope = 'resourceGroup'

metadata description = 'ContinuityHub: IT service continuity hub on Azure Functions (Flex Consumption)'

@minLength(1)
@maxLength(64)
@description('Environment name (the azd environment): part of every resource name, and the azd-env-name tag.')
param environmentName string

@description('Region of every resource; it must offer the Flex Consumption plan.')
param location string = resourceGroup().location

@description('Instance memory of the Function App, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Most instances the Function App scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Deliveries of an incident-queue message before it is dead-lettered.')
@minValue(1)
@maxValue(2000)
param incidentQueueMaxDeliveryCount int = 10

@description('Replication of the storage account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSku string = 'Standard_LRS'

@description('Key Vault purge protection (production: on; it cannot be turned off again).')
param keyVaultPurgeProtection bool = false

@description('Days Log Analytics keeps the hub\'s logs and telemetry.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('NCRONTAB: re-assess every open incident (the invocation clock).')
param reassessSchedule string = '0 */1 * * * *'

@description('NCRONTAB: drain the Service Bus incident queue.')
param incidentQueuePollSchedule string = '*/10 * * * * *'

@description('NCRONTAB: re-drive archived webhook deliveries that were never processed.')
param intakeRedriveSchedule string = '0 */5 * * * *'

@description('NCRONTAB: write the continuity report (default Monday 07:00 UTC).')
param reportSchedule string = '0 0 7 * * 1'

@description('NCRONTAB: escalate unacknowledged alerts to the next roster tier.')
param escalationSchedule string = '0 */1 * * * *'

@description('NCRONTAB schedule of the RPO clock (heartbeats against each service\'s RPO).')
param heartbeatSchedule string = '0 */1 * * * *'

@description('NCRONTAB schedule of the exercise player (injects of exercises started on the hub, their end and after-action report).')
param exerciseSchedule string = '*/10 * * * * *'

@description('NCRONTAB schedule: draft the post-incident reviews of resolved incidents that reached Alert.')
param reviewSchedule string = '0 */5 * * * *'

@description('NCRONTAB: deliver what the notification outbox still holds (after Graph throttling or an outage).')
param notificationSweepSchedule string = '0 */1 * * * *'

@description('Entra tenant id for Microsoft Graph (Teams notifications); empty leaves Graph off.')
param graphTenantId string = ''

@description('Client id of the hub\'s app registration, the public client `hub graph login` signs the notifications account in to (infra/graph-permissions.sh prints it); empty until configured.')
param graphClientId string = ''

@description('User principal name of the notifications account that posts channel cards; empty until configured.')
param graphNotificationsAccount string = ''

@description('Shared mailbox the e-mail fallback is sent from (UPN); empty: no e-mail fallback.')
param graphMailSender string = ''

@description('User who organizes the bridge meetings (UPN or object id), covered by a Teams application access policy; empty: no bridge.')
param graphMeetingOrganizer string = ''

@description('Team (group id) of the continuity channel the weekly report\'s summary card goes to; empty: no summary card.')
param teamsContinuityTeamId string = ''

@description('Channel id of the continuity channel (19:…@thread.tacv2); empty: no summary card.')
param teamsContinuityChannelId string = ''

@description('Write-back: the ServiceNow instance, e.g. https://contoso.service-now.com; empty (with no token in Key Vault): no notes to ServiceNow.')
param writeBackServiceNowBaseUrl string = ''

@description('Write-back: the ServiceNow user the work notes are written as (basic auth; its password is the Key Vault secret writeback-servicenow-token).')
param writeBackServiceNowUser string = ''

@description('Write-back: the Jira site, e.g. https://contoso.atlassian.net; empty (with no token in Key Vault): no notes to Jira.')
param writeBackJiraBaseUrl string = ''

@description('Write-back: the Atlassian account e-mail the internal comments are written as (its API token is the Key Vault secret writeback-jira-token).')
param writeBackJiraUser string = ''

@description('Write-back: the PagerDuty REST API; empty: https://api.pagerduty.com; empty (with no token in Key Vault): no notes to PagerDuty.')
param writeBackPagerDutyBaseUrl string = ''

@description('Write-back: the e-mail of a PagerDuty user, sent as the From header of incident notes (the REST API key is the Key Vault secret writeback-pagerduty-token).')
param writeBackPagerDutyUser string = ''

@description('Write-back: the Opsgenie API; empty: https://api.opsgenie.com (https://api.eu.opsgenie.com for the EU); empty (with no token in Key Vault): no notes to Opsgenie.')
param writeBackOpsgenieBaseUrl string = ''

@description('Write-back: the name shown as the author of alert notes (the API key is the Key Vault secret writeback-opsgenie-token).')
param writeBackOpsgenieUser string = ''

@description('Write-back to Azure Monitor: set an alert\'s state to Acknowledged when the crisis team acknowledges, with the hub\'s identity; it needs the Monitoring Contributor role where the alerts fire (README, Write-back), which this deployment does not grant.')
param writeBackAzureMonitor bool = false

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  application: 'continuityhub'
}
var incidentQueueName = 'incidents'
var eventsTopicName = 'continuity-events'
var deploymentContainerName = 'app-package'

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}continuityhub-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}continuityhub-${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}continuityhub-${resourceToken}'
    location: location
    tags: tags
    retentionInDays: logRetentionInDays
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    skuName: storageSku
    deploymentContainerName: deploymentContainerName
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    name: '${abbrs.serviceBusNamespaces}continuityhub-${resourceToken}'
    location: location
    tags: tags
    incidentQueueName: incidentQueueName
    maxDeliveryCount: incidentQueueMaxDeliveryCount
    eventsTopicName: eventsTopicName
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: '${abbrs.keyVaultVaults}${resourceToken}'
    location: location
    tags: tags
    enablePurgeProtection: keyVaultPurgeProtection
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
  }
}

module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    serviceBusNamespaceName: serviceBus.outputs.name
    incidentQueueName: serviceBus.outputs.incidentQueueName
    eventsTopicName: serviceBus.outputs.eventsTopicName
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    name: '${abbrs.webSitesFunctions}continuityhub-${resourceToken}'
    planName: '${abbrs.webServerFarms}continuityhub-${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
    keyVaultName: keyVault.outputs.name
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    incidentQueueName: serviceBus.outputs.incidentQueueName
    maxDeliveryCount: incidentQueueMaxDeliveryCount
    reassessSchedule: reassessSchedule
    incidentQueuePollSchedule: incidentQueuePollSchedule
    intakeRedriveSchedule: intakeRedriveSchedule
    reportSchedule: reportSchedule
    escalationSchedule: escalationSchedule
    heartbeatSchedule: heartbeatSchedule
    exerciseSchedule: exerciseSchedule
    reviewSchedule: reviewSchedule
    notificationSweepSchedule: notificationSweepSchedule
    eventsTopicName: serviceBus.outputs.eventsTopicName
    graphTenantId: graphTenantId
    graphClientId: graphClientId
    graphNotificationsAccount: graphNotificationsAccount
    graphMailSender: graphMailSender
    graphMeetingOrganizer: graphMeetingOrganizer
    teamsContinuityTeamId: teamsContinuityTeamId
    teamsContinuityChannelId: teamsContinuityChannelId
    writeBackServiceNowBaseUrl: writeBackServiceNowBaseUrl
    writeBackServiceNowUser: writeBackServiceNowUser
    writeBackJiraBaseUrl: writeBackJiraBaseUrl
    writeBackJiraUser: writeBackJiraUser
    writeBackPagerDutyBaseUrl: writeBackPagerDutyBaseUrl
    writeBackPagerDutyUser: writeBackPagerDutyUser
    writeBackOpsgenieBaseUrl: writeBackOpsgenieBaseUrl
    writeBackOpsgenieUser: writeBackOpsgenieUser
    writeBackAzureMonitor: writeBackAzureMonitor
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
  }
  // The host starts with its identity-based storage connection: let the roles land first.
  dependsOn: [
    rbac
  ]
}

// For azd (written to .azure/<env>/.env) and for infra/deploy.sh and the README's next steps.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup().name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = 'https://${functionApp.outputs.defaultHostName}'
output SERVICE_API_NAME string = functionApp.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_URI string = keyVault.outputs.uri
output AZURE_SERVICE_BUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output AZURE_MANAGED_IDENTITY_NAME string = identity.outputs.name
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_MANAGED_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.connectionString

// Development: small, cheap, easy to tear down (no purge protection, locally redundant storage).
using 'main.bicep'

param environmentName = 'continuityhub-dev'
param instanceMemoryMB = 2048
param maximumInstanceCount = 40
param storageSku = 'Standard_LRS'
param keyVaultPurgeProtection = false
param logRetentionInDays = 30

// Microsoft Graph (Teams notifications): taken from the environment of whoever deploys, empty leaves Graph off.
param graphTenantId = readEnvironmentVariable('HUB_GRAPH_TENANT_ID', '')
param graphClientId = readEnvironmentVariable('HUB_GRAPH_CLIENT_ID', '')
param graphNotificationsAccount = readEnvironmentVariable('HUB_GRAPH_NOTIFICATIONS_ACCOUNT', '')
param graphMailSender = readEnvironmentVariable('HUB_GRAPH_MAIL_SENDER', '')
param graphMeetingOrganizer = readEnvironmentVariable('HUB_GRAPH_MEETING_ORGANIZER', '')
param teamsContinuityTeamId = readEnvironmentVariable('HUB_TEAMS_CONTINUITY_TEAM_ID', '')
param teamsContinuityChannelId = readEnvironmentVariable('HUB_TEAMS_CONTINUITY_CHANNEL_ID', '')

// Write-back to the source records: the instances and users from the environment; the tokens are Key Vault secrets.
param writeBackServiceNowBaseUrl = readEnvironmentVariable('HUB_WRITEBACK_SERVICENOW_BASE_URL', '')
param writeBackServiceNowUser = readEnvironmentVariable('HUB_WRITEBACK_SERVICENOW_USER', '')
param writeBackJiraBaseUrl = readEnvironmentVariable('HUB_WRITEBACK_JIRA_BASE_URL', '')
param writeBackJiraUser = readEnvironmentVariable('HUB_WRITEBACK_JIRA_USER', '')
param writeBackPagerDutyBaseUrl = readEnvironmentVariable('HUB_WRITEBACK_PAGERDUTY_BASE_URL', '')
param writeBackPagerDutyUser = readEnvironmentVariable('HUB_WRITEBACK_PAGERDUTY_USER', '')
param writeBackOpsgenieBaseUrl = readEnvironmentVariable('HUB_WRITEBACK_OPSGENIE_BASE_URL', '')
param writeBackOpsgenieUser = readEnvironmentVariable('HUB_WRITEBACK_OPSGENIE_USER', '')
param writeBackAzureMonitor = bool(readEnvironmentVariable('HUB_WRITEBACK_AZUREMONITOR', 'false'))

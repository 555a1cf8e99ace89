// Production: zone-redundant storage, purge-protected Key Vault, three months of logs, room to scale.
using 'main.bicep'

param environmentName = 'continuityhub-prod'
param instanceMemoryMB = 2048
param maximumInstanceCount = 100
param incidentQueueMaxDeliveryCount = 10
param storageSku = 'Standard_ZRS'
param keyVaultPurgeProtection = true
param logRetentionInDays = 90

// Microsoft Graph (Teams notifications): taken from the environment of whoever deploys, empty leaves Graph off.
param graphTenantId = readEnvironmentVariable('HUB_GRAPH_TENANT_ID', '')
param graphClientId = readEnvironmentVariable('HUB_GRAPH_CLIENT_ID', '')
param graphNotificationsAccount = readEnvironmentVariable('HUB_GRAPH_NOTIFICATIONS_ACCOUNT', '')
param graphMailSender = readEnvironmentVariable('HUB_GRAPH_MAIL_SENDER', '')
param graphMeetingOrganizer = readEnvironmentVariable('HUB_GRAPH_MEETING_ORGANIZER', '')
param teamsContinuityTeamId = readEnvironmentVariable('HUB_TEAMS_CONTINUITY_TEAM_ID', '')
param teamsContinuityChannelId = readEnvironmentVariable('HUB_TEAMS_CONTINUITY_CHANNEL_ID', '')

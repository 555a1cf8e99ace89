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

// Key Vault for the webhook secrets (intake-{source}-secret) and the Graph settings, in RBAC mode: the hub reads
// secrets through Key Vault references with its managed identity (Key Vault Secrets User, rbac.bicep).

@description('Name of the vault (3-24 letters, digits and hyphens).')
@minLength(3)
@maxLength(24)
param name string

@description('Region of the vault.')
param location string

@description('Tags for the vault.')
param tags object

@description('Log Analytics workspace the vault\'s audit log (every secret read and write, by whom) goes to.')
param logAnalyticsWorkspaceId string

@description('Purge protection: a deleted vault and its secrets cannot be purged before the retention ends. Cannot be turned off once on.')
param enablePurgeProtection bool

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // The API accepts true or nothing: a vault without purge protection leaves the property out.
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

// Who read or wrote which secret, and when: the AuditEvent category, in its own table (AZKVAuditLogs).
resource auditLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'audit-to-log-analytics'
  scope: vault
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      {
        category: 'AuditEvent'
        enabled: true
      }
    ]
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri

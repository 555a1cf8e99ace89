// The hub's storage account: the Functions host (AzureWebJobsStorage), the deployment package, and the hub's own
// tables and containers (DESIGN.md section 4). Reached by Entra ID only: shared keys are disabled.

@description('Name of the storage account (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Region of the account.')
param location string

@description('Tags for the account.')
param tags object

@description('Replication of the account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param skuName string

@description('Blob container the Flex Consumption app deploys its package to.')
param deploymentContainerName string

@description('Days after its last change that a raw intake payload moves to the cool tier.')
@minValue(1)
param intakeArchiveCoolAfterDays int = 30

// One table per aggregate, one container per kind of document (DESIGN.md section 4).
var tableNames = [
  'Services'
  'Aliases'
  'Plans'
  'Exercises'
  'Policy'
  'Maintenance'
  'Incidents'
  'Notifications'
  'Audit'
  'Heartbeats'
]

var containerNames = [
  'plan-documents'
  'intake-archive'
  'reports'
  'exercise-reports'
  'incident-reviews' // post-incident reviews' documents (review.html, .json, .md)
  'graph-token-cache' // the notifications account's MSAL token cache, AES-GCM encrypted (Graph__TokenCacheKey)
  deploymentContainerName
]

resource account 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowCrossTenantReplication: false
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: account
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = [
  for containerName in containerNames: {
    parent: blobService
    name: containerName
    properties: {
      publicAccess: 'None'
    }
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2024-01-01' = {
  parent: account
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2024-01-01' = [
  for tableName in tableNames: {
    parent: tableService
    name: tableName
  }
]

// Raw webhook payloads are kept for audit and re-drive but rarely read after the first month.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2024-01-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'intake-archive-to-cool'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                'intake-archive/'
              ]
            }
            actions: {
              baseBlob: {
                tierToCool: {
                  daysAfterModificationGreaterThan: intakeArchiveCoolAfterDays
                }
              }
            }
          }
        }
      ]
    }
  }
}

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob

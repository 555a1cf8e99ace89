// Everything the hub's managed identity may do, and nothing more: each role on the single resource that needs it,
// never on the resource group or the subscription. Assignment names are guid(scope, principal, role), so a
// re-deployment finds the same assignment instead of failing on a duplicate.

@description('Principal (object) id of the hub\'s user-assigned managed identity.')
param principalId string

@description('The hub\'s storage account: the Functions host and the hub\'s tables, blobs and queues.')
param storageAccountName string

@description('The Service Bus namespace holding the incident queue and the events topic.')
param serviceBusNamespaceName string

@description('The queue the hub drains.')
param incidentQueueName string

@description('The topic the hub publishes to.')
param eventsTopicName string

@description('The vault the hub\'s Key Vault references read.')
param keyVaultName string

@description('The Application Insights component the hub sends telemetry to with Entra ID.')
param applicationInsightsName string

// Built-in role definitions (their ids are the same in every tenant).
resource storageBlobDataOwner 'Microsoft.Authorization/roleDefinitions@2022-04-01' existing = {
  scope: subscription()
  name: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
}

resource storageTableDataContributor 'Microsoft.Authorization/roleDefinitions@2022-04-01' existing = {
  scope: subscription()
  name: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
}

resource storageQueueDataContributor 'Microsoft.Authorization/roleDefinitions@2022-04-01' existing = {
  scope: subscription()
  name: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
}

resource serviceBusDataReceiver 'Microsoft.Authorization/roleDefinitions@2022-04-01' existing = {
  scope: subscription()
  name: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
}

resource serviceBusDataSender 'Microsoft.Authorization/roleDefinitions@2022-04-01' existing = {
  scope: subscription()
  name: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
}

resource keyVaultSecretsUser 'Microsoft.Authorization/roleDefinitions@2022-04-01' existing = {
  scope: subscription()
  name: '4633458b-17de-408a-b874-0445c86b69e6'
}

resource monitoringMetricsPublisher 'Microsoft.Authorization/roleDefinitions@2022-04-01' existing = {
  scope: subscription()
  name: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource storageAccount 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName

  resource incidentQueue 'queues' existing = {
    name: incidentQueueName
  }

  resource eventsTopic 'topics' existing = {
    name: eventsTopicName
  }
}

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// Storage: the host keeps timer leases and function keys in blobs; the hub writes plan documents, the intake
// archive and reports (blobs), the catalogue, incidents, outbox and audit (tables) and its work queues.
resource blobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storageAccount.id, principalId, storageBlobDataOwner.name)
  scope: storageAccount
  properties: {
    roleDefinitionId: storageBlobDataOwner.id
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource tableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storageAccount.id, principalId, storageTableDataContributor.name)
  scope: storageAccount
  properties: {
    roleDefinitionId: storageTableDataContributor.id
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource queueDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storageAccount.id, principalId, storageQueueDataContributor.name)
  scope: storageAccount
  properties: {
    roleDefinitionId: storageQueueDataContributor.id
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Service Bus: receive (complete, abandon, dead-letter) on the incident queue only; send on the events topic only.
resource incidentQueueReceiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(serviceBus::incidentQueue.id, principalId, serviceBusDataReceiver.name)
  scope: serviceBus::incidentQueue
  properties: {
    roleDefinitionId: serviceBusDataReceiver.id
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource eventsTopicSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(serviceBus::eventsTopic.id, principalId, serviceBusDataSender.name)
  scope: serviceBus::eventsTopic
  properties: {
    roleDefinitionId: serviceBusDataSender.id
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Key Vault: read secret values (the app settings' Key Vault references); no listing of keys, no writes.
resource vaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, principalId, keyVaultSecretsUser.name)
  scope: keyVault
  properties: {
    roleDefinitionId: keyVaultSecretsUser.id
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Application Insights: local auth is off, so telemetry is sent with the identity's token.
resource telemetryPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, principalId, monitoringMetricsPublisher.name)
  scope: applicationInsights
  properties: {
    roleDefinitionId: monitoringMetricsPublisher.id
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

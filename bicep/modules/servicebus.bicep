// Service Bus: the `incidents` queue other systems send incidents to (drained by the hub's timer) and the
// `continuity-events` topic the hub publishes PlanInvoked to. Standard tier, because topics need it; SAS keys are
// disabled, so only Entra ID principals with a data role get in.

@description('Name of the Service Bus namespace.')
@minLength(6)
@maxLength(50)
param name string

@description('Region of the namespace.')
param location string

@description('Tags for the namespace.')
param tags object

@description('Name of the queue incidents arrive on.')
param incidentQueueName string

@description('Deliveries of a message before Service Bus dead-letters it.')
@minValue(1)
@maxValue(2000)
param maxDeliveryCount int

@description('Name of the topic continuity events are published to.')
param eventsTopicName string

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource incidentQueue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = {
  parent: namespace
  name: incidentQueueName
  properties: {
    maxDeliveryCount: maxDeliveryCount
    deadLetteringOnMessageExpiration: true
    lockDuration: 'PT1M'
    defaultMessageTimeToLive: 'P14D'
  }
}

// PlanInvoked carries a MessageId derived from the decision, so a publish retried after a lost acknowledgement is
// dropped by Service Bus instead of reaching the runbooks twice. Duplicate detection can only be chosen when a topic
// is created: a topic deployed without it must be deleted and re-created (the window may be changed later).
resource eventsTopic 'Microsoft.ServiceBus/namespaces/topics@2024-01-01' = {
  parent: namespace
  name: eventsTopicName
  properties: {
    defaultMessageTimeToLive: 'P14D'
    supportOrdering: true
    requiresDuplicateDetection: true
    // A MessageId is remembered for a day: a re-publish within a day of the first send is dropped.
    duplicateDetectionHistoryTimeWindow: 'P1D'
  }
}

output name string = namespace.name
// serviceBusEndpoint is https://{namespace}.servicebus.windows.net:443/ (in any cloud); the host is what the code reads.
output fullyQualifiedNamespace string = split(split(namespace.properties.serviceBusEndpoint, '/')[2], ':')[0]
output incidentQueueName string = incidentQueue.name
output eventsTopicName string = eventsTopic.name

using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace ContinuityHub.Azure.ServiceBus;

/// <summary>
/// Where the hub's Service Bus namespace is and how its incident queue is drained, read the way Azure Functions reads
/// a connection: the configuration value <c>ServiceBus</c> is a connection string; otherwise
/// <c>ServiceBus:fullyQualifiedNamespace</c> (environment <c>ServiceBus__fullyQualifiedNamespace</c>) names the
/// namespace for identity-based access, with <c>ServiceBus:clientId</c> for a user-assigned identity. With neither,
/// the Service Bus intake is off (a local host without a namespace still starts), and so is publishing to the
/// <c>ServiceBus:EventsTopic</c> topic (<c>continuity-events</c>).
/// </summary>
public sealed class ServiceBusOptions : IValidatableObject
{
    public const string SectionName = "ServiceBus";

    public const string DefaultIncidentQueue = "incidents";

    public const string DefaultEventsTopic = "continuity-events";

    public const int DefaultMaxDeliveryCount = 10;

    /// <summary>The poll runs every 10 seconds; a drain stops taking new messages after this long.</summary>
    public static readonly TimeSpan DefaultDrainBudget = TimeSpan.FromSeconds(8);

    /// <summary>The longest budget allowed: the Functions host's timeout (host.json) is ten minutes.</summary>
    public static readonly TimeSpan MaxDrainBudget = TimeSpan.FromMinutes(5);

    private readonly List<string> _unreadable = [];

    /// <summary>A Service Bus connection string; null when the namespace is reached by identity (or not at all).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The namespace's host name, e.g. <c>sb-hub-prod.servicebus.windows.net</c>.</summary>
    public string? FullyQualifiedNamespace { get; set; }

    /// <summary>The client id of the user-assigned managed identity; null for the one the storage uses (or system-assigned).</summary>
    public string? ClientId { get; set; }

    /// <summary>The queue ITSM tools and other systems send incidents to.</summary>
    public string IncidentQueue { get; set; } = DefaultIncidentQueue;

    /// <summary>The topic the hub publishes its events to (<c>PlanInvoked</c>) for downstream runbooks.</summary>
    public string EventsTopic { get; set; } = DefaultEventsTopic;

    /// <summary>How long one drain may take new messages from the queue.</summary>
    public TimeSpan DrainBudget { get; set; } = DefaultDrainBudget;

    /// <summary>A message delivered this many times is dead-lettered before it is tried again.</summary>
    public int MaxDeliveryCount { get; set; } = DefaultMaxDeliveryCount;

    /// <summary>True when a connection string or a namespace is set: the incident queue is drained.</summary>
    public bool IsConfigured => ConnectionString is not null || FullyQualifiedNamespace is not null;

    public bool UsesIdentity => ConnectionString is null && FullyQualifiedNamespace is not null;

    /// <summary>Reads the options from <paramref name="configuration"/> (the root, or any section holding a <c>ServiceBus</c> key).</summary>
    public static ServiceBusOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new ServiceBusOptions();
        options.Read(configuration.GetSection(SectionName));
        return options;
    }

    /// <summary>Fills these options from the <c>ServiceBus</c> section: its own value and its children.</summary>
    public void Read(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        _unreadable.Clear();
        ConnectionString = string.IsNullOrWhiteSpace(section.Value) ? null : section.Value.Trim();
        FullyQualifiedNamespace = ReadNamespace(section, "fullyQualifiedNamespace");
        ClientId = ReadText(section, "clientId");
        IncidentQueue = ReadText(section, nameof(IncidentQueue)) ?? DefaultIncidentQueue;
        EventsTopic = ReadText(section, nameof(EventsTopic)) ?? DefaultEventsTopic;
        DrainBudget = ReadDuration(section, nameof(DrainBudget)) ?? DefaultDrainBudget;
        MaxDeliveryCount = ReadCount(section, nameof(MaxDeliveryCount)) ?? DefaultMaxDeliveryCount;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var message in _unreadable)
        {
            yield return new ValidationResult(message);
        }

        if (IncidentQueue.Length > 260 || IncidentQueue.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(IncidentQueue)} '{IncidentQueue}' is not a queue name (up to 260 characters, no spaces).",
                [nameof(IncidentQueue)]);
        }

        if (EventsTopic.Length > 260 || EventsTopic.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(EventsTopic)} '{EventsTopic}' is not a topic name (up to 260 characters, no spaces).",
                [nameof(EventsTopic)]);
        }

        if (DrainBudget <= TimeSpan.Zero || DrainBudget > MaxDrainBudget)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(DrainBudget)} {DrainBudget:c} must be more than zero and at most {MaxDrainBudget:c}.",
                [nameof(DrainBudget)]);
        }

        if (MaxDeliveryCount < 1)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(MaxDeliveryCount)} {MaxDeliveryCount} must be at least 1.",
                [nameof(MaxDeliveryCount)]);
        }
    }

    private static string? ReadText(IConfigurationSection section, string key)
    {
        var value = section[key];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>A host name; <c>sb://host/</c> and <c>https://host/</c> are taken too, as people paste them.</summary>
    private string? ReadNamespace(IConfigurationSection section, string key)
    {
        var value = ReadText(section, key);
        if (value is null)
        {
            return null;
        }

        if (value.Contains("://", StringComparison.Ordinal) && Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Host.Length > 0)
        {
            return uri.Host;
        }

        if (Uri.CheckHostName(value) is UriHostNameType.Dns or UriHostNameType.IPv4)
        {
            return value;
        }

        _unreadable.Add($"{SectionName}:{key} '{value}' is not a host name such as sb-hub.servicebus.windows.net.");
        return null;
    }

    /// <summary>A TimeSpan (<c>00:00:08</c>) or a duration (<c>8s</c>).</summary>
    private TimeSpan? ReadDuration(IConfigurationSection section, string key)
    {
        var value = ReadText(section, key);
        if (value is null)
        {
            return null;
        }

        if (Durations.TryParse(value, out var duration) || TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out duration))
        {
            return duration;
        }

        _unreadable.Add($"{SectionName}:{key} '{value}' is not a time span such as 00:00:08 or 8s.");
        return null;
    }

    private int? ReadCount(IConfigurationSection section, string key)
    {
        var value = ReadText(section, key);
        if (value is null)
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count))
        {
            return count;
        }

        _unreadable.Add($"{SectionName}:{key} '{value}' is not a whole number.");
        return null;
    }
}

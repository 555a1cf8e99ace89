using Azure.Messaging.ServiceBus;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents.Parsing;
using ContinuityHub.Intake;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure.ServiceBus;

/// <summary>What one drain of the incident queue did.</summary>
/// <param name="Received">Messages taken from the queue.</param>
/// <param name="Completed">Applied to an incident (or recognised as a duplicate) and removed from the queue.</param>
/// <param name="DeadLettered">Poison: moved to the dead-letter queue with a reason and a description.</param>
/// <param name="Abandoned">Left on the queue after a transient failure; delivered again later.</param>
public sealed record DrainResult(int Received, int Completed, int DeadLettered, int Abandoned)
{
    public static DrainResult None { get; } = new(0, 0, 0, 0);
}

/// <summary>The <c>deadLetterReason</c> values the drain uses; the description says what exactly was wrong.</summary>
public static class DeadLetterReasons
{
    /// <summary>The payload failed to parse or validate; the description lists <c>path: message</c> problems.</summary>
    public const string InvalidPayload = "InvalidPayload";

    /// <summary>The body is over the intake's 1 MB.</summary>
    public const string PayloadTooLarge = "PayloadTooLarge";

    /// <summary>The application property <c>source</c> names no source the hub knows.</summary>
    public const string UnknownSource = "UnknownSource";

    /// <summary>The payload parsed but cannot be applied (a value storage cannot keep); it is archived as rejected.</summary>
    public const string Unprocessable = "Unprocessable";

    /// <summary>Delivered <c>ServiceBus:MaxDeliveryCount</c> times without success; the description has the last failure.</summary>
    public const string MaxDeliveryCountExceeded = "MaxDeliveryCountExceeded";
}

/// <summary>
/// Drains the incident queue (peek-lock) into the <see cref="IntakeService"/>, one message at a time in the order
/// received, until the queue is empty or the drain budget is spent: complete on success (a duplicate too), abandon
/// on a transient failure (it comes back, carrying the failure in <see cref="LastFailureProperty"/>), dead-letter
/// poison with a reason from <see cref="DeadLetterReasons"/> and a description naming the problem. The body is the
/// generic schema, or a vendor payload when the application property <c>source</c> names the vendor.
/// </summary>
public sealed class IncidentQueueDrainer
{
    /// <summary>Messages asked for per receive.</summary>
    public const int BatchSize = 20;

    /// <summary>The application property naming the payload's source (servicenow, jira, …); absent means generic.</summary>
    public const string SourceProperty = "source";

    /// <summary>The application property an abandoned message carries back: why its last delivery failed.</summary>
    public const string LastFailureProperty = "hubLastFailure";

    /// <summary>The SDK's limit on a dead-letter reason and description, in characters.</summary>
    public const int MaxDescriptionLength = 4096;

    private const int MaxLastFailureLength = 1024;

    /// <summary>How long a receive waits for a message on an empty queue before the drain ends.</summary>
    public static readonly TimeSpan ReceiveWait = TimeSpan.FromSeconds(1);

    private readonly ServiceBusReceiver? _receiver;
    private readonly IntakeService _intake;
    private readonly ServiceBusOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<IncidentQueueDrainer> _logger;
    private int _disabledLogged;

    /// <param name="receiver">A peek-lock receiver on the incident queue; null when Service Bus is not configured (the drain does nothing).</param>
    public IncidentQueueDrainer(
        ServiceBusReceiver? receiver,
        IntakeService intake,
        ServiceBusOptions options,
        TimeProvider time,
        ILogger<IncidentQueueDrainer> logger)
    {
        ArgumentNullException.ThrowIfNull(intake);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        if (receiver is { ReceiveMode: not ServiceBusReceiveMode.PeekLock })
        {
            throw new ArgumentException("The incident queue is drained in peek-lock mode, so nothing is lost on a failure.", nameof(receiver));
        }

        _receiver = receiver;
        _intake = intake;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>False when no ServiceBus setting is present: <see cref="DrainAsync"/> then does nothing.</summary>
    public bool IsEnabled => _receiver is not null;

    /// <summary>Takes messages from the queue until it is empty or <see cref="ServiceBusOptions.DrainBudget"/> is spent.</summary>
    /// <remarks>
    /// The budget is checked before each receive: a batch already received (and locked) is processed whole, as
    /// abandoning it would count a delivery against each message for nothing.
    /// </remarks>
    public async Task<DrainResult> DrainAsync(CancellationToken cancellationToken)
    {
        if (_receiver is null)
        {
            if (Interlocked.Exchange(ref _disabledLogged, 1) == 0)
            {
                Log.DrainDisabled(_logger);
            }

            return DrainResult.None;
        }

        var started = _time.GetTimestamp();
        int received = 0, completed = 0, deadLettered = 0, abandoned = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var remaining = _options.DrainBudget - _time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                Log.BudgetSpent(_logger, _options.IncidentQueue, (long)_options.DrainBudget.TotalMilliseconds);
                break;
            }

            var messages = await _receiver.ReceiveMessagesAsync(BatchSize, remaining < ReceiveWait ? remaining : ReceiveWait, cancellationToken);
            if (messages.Count == 0)
            {
                break;
            }

            for (var i = 0; i < messages.Count; i++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    await AbandonQuietlyAsync(_receiver, messages.Skip(i));
                    cancellationToken.ThrowIfCancellationRequested();
                }

                received++;
                switch (await HandleAsync(_receiver, messages[i], cancellationToken))
                {
                    case Outcome.Completed:
                        completed++;
                        break;
                    case Outcome.DeadLettered:
                        deadLettered++;
                        break;
                    default:
                        abandoned++;
                        break;
                }
            }
        }

        var result = new DrainResult(received, completed, deadLettered, abandoned);
        if (received > 0)
        {
            var elapsedMs = (long)_time.GetElapsedTime(started).TotalMilliseconds;
            Log.Drained(_logger, _options.IncidentQueue, received, completed, deadLettered, abandoned, elapsedMs);
        }

        return result;
    }

    private async Task<Outcome> HandleAsync(ServiceBusReceiver receiver, ServiceBusReceivedMessage message, CancellationToken cancellationToken)
    {
        var messageId = message.MessageId ?? string.Empty;
        var named = ReadSource(message, out var source, out var sourceName);

        if (message.DeliveryCount >= _options.MaxDeliveryCount)
        {
            var last = message.ApplicationProperties.TryGetValue(LastFailureProperty, out var failure) && failure is string { Length: > 0 } text
                ? text
                : "none recorded (the lock may have expired while it was processed)";
            return await DeadLetterAsync(
                receiver,
                message,
                sourceName,
                DeadLetterReasons.MaxDeliveryCountExceeded,
                $"delivered {message.DeliveryCount} times ({ServiceBusOptions.SectionName}:{nameof(ServiceBusOptions.MaxDeliveryCount)} is {_options.MaxDeliveryCount}); last failure: {last}",
                cancellationToken);
        }

        if (!named)
        {
            return await DeadLetterAsync(
                receiver,
                message,
                sourceName,
                DeadLetterReasons.UnknownSource,
                $"application property '{SourceProperty}' is {sourceName}; expected one of {string.Join(", ", CatalogNames.SourceNames)}, or none for the generic schema",
                cancellationToken);
        }

        IntakeResult result;
        try
        {
            result = await _intake.ReceiveAsync(new IntakeRequest(source, message.Body.ToMemory(), IntakeChannel.ServiceBus), cancellationToken);
        }
        catch (HubValidationException e)
        {
            var problems = e.Problems.Count > 0 ? string.Join("; ", e.Problems) : e.Message;
            return await DeadLetterAsync(receiver, message, sourceName, DeadLetterReasons.InvalidPayload, problems, cancellationToken);
        }
        catch (PayloadTooLargeException e)
        {
            return await DeadLetterAsync(receiver, message, sourceName, DeadLetterReasons.PayloadTooLarge, e.Message, cancellationToken);
        }
        catch (UnprocessableDeliveryException e)
        {
            return await DeadLetterAsync(receiver, message, sourceName, DeadLetterReasons.Unprocessable, e.Message, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await AbandonQuietlyAsync(receiver, [message]);
            throw;
        }
        catch (Exception e)
        {
            // Storage trouble, a concurrency conflict that outlasted the retries, anything else transient: it comes back.
            Log.Abandoned(_logger, e, messageId, sourceName, message.DeliveryCount);
            var properties = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                [LastFailureProperty] = HumanText.Truncate($"{e.GetType().Name}: {FirstLine(e.Message)}", MaxLastFailureLength),
            };
            return await SettleAsync(
                () => receiver.AbandonMessageAsync(message, properties, cancellationToken),
                Outcome.Abandoned,
                messageId,
                sourceName,
                string.Empty);
        }

        var outcome = await SettleAsync(
            () => receiver.CompleteMessageAsync(message, cancellationToken),
            Outcome.Completed,
            messageId,
            sourceName,
            result.IncidentKey);
        if (outcome == Outcome.Completed)
        {
            Log.Completed(_logger, messageId, sourceName, result.IncidentKey, result.Level, result.Duplicate);
        }

        return outcome;
    }

    private async Task<Outcome> DeadLetterAsync(
        ServiceBusReceiver receiver,
        ServiceBusReceivedMessage message,
        string sourceName,
        string reason,
        string description,
        CancellationToken cancellationToken)
    {
        var messageId = message.MessageId ?? string.Empty;
        description = HumanText.Truncate(description, MaxDescriptionLength);
        Log.DeadLettered(_logger, messageId, sourceName, reason, description);
        return await SettleAsync(
            () => receiver.DeadLetterMessageAsync(message, reason, description, cancellationToken),
            Outcome.DeadLettered,
            messageId,
            sourceName,
            string.Empty);
    }

    /// <summary>
    /// Settles a message; when that fails (the lock was lost, the connection dropped) the message is delivered
    /// again, and the intake, being idempotent, recognises what it already applied.
    /// </summary>
    private async Task<Outcome> SettleAsync(Func<Task> settle, Outcome outcome, string messageId, string sourceName, string incidentKey)
    {
        try
        {
            await settle();
            return outcome;
        }
        catch (ServiceBusException e)
        {
            Log.SettleFailed(_logger, e, messageId, sourceName, incidentKey, outcome.ToString());
            return Outcome.Abandoned;
        }
    }

    private async Task AbandonQuietlyAsync(ServiceBusReceiver receiver, IEnumerable<ServiceBusReceivedMessage> messages)
    {
        foreach (var message in messages)
        {
            // The drain is being cancelled (the host is stopping): hand the message back now rather than when its lock expires.
            await SettleAsync(
                () => receiver.AbandonMessageAsync(message, cancellationToken: CancellationToken.None),
                Outcome.Abandoned,
                message.MessageId ?? string.Empty,
                "-",
                string.Empty);
        }
    }

    /// <summary>
    /// The source a message names: its <c>source</c> application property, generic when absent. False when the
    /// property names no known source; <paramref name="sourceName"/> then describes what it holds.
    /// </summary>
    private static bool ReadSource(ServiceBusReceivedMessage message, out AliasSource source, out string sourceName)
    {
        if (!message.ApplicationProperties.TryGetValue(SourceProperty, out var value) || value is null)
        {
            source = AliasSource.Generic;
            sourceName = CatalogNames.Name(source);
            return true;
        }

        if (value is string text && IncidentParsers.TryGetSource(text, out source))
        {
            sourceName = CatalogNames.Name(source);
            return true;
        }

        source = default;
        sourceName = value is string s ? $"'{HumanText.Truncate(s, 100)}'" : $"a {value.GetType().Name}, not a string";
        return false;
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private enum Outcome
    {
        Completed,
        DeadLettered,
        Abandoned,
    }
}

using System.Globalization;
using ContinuityHub.Catalog;
using ContinuityHub.Reactions;

namespace ContinuityHub.Notifications.Delivery;

/// <summary>
/// The note each outbox entry writes back to the incident's source record (<see cref="WriteBackNote.Writes"/>): one
/// part per entry, a stream of its own (<see cref="Stream"/>) beside the plans' so a source that is slow or down never
/// holds a crisis team's alert, and its notes stay in order. Exactly once through the ledger, as the Teams steps. A
/// ServiceNow level change carries the policy's fields in the same request (<see cref="WriteBackNote.Fields"/>).
/// </summary>
internal sealed class WriteBackHandler(IWriteBackGateway gateway, StepRunner steps, NotificationSettings settings)
{
    /// <summary>The part's stream key (where a plan id goes): it never names a plan.</summary>
    public const string Stream = "~writeback";

    private static readonly StepKey NoteStep = new(DeliveryStep.WriteBackNote);

    public IEnumerable<EntryPart> Parts(DeliveryContext context, CancellationToken cancellationToken)
    {
        var incident = context.Stored.Incident;
        var record = new SourceRecord(incident.Source, incident.ExternalId);
        // An exercise's record is the scenario's, not a real one: nothing is written back.
        if (incident.Exercise is not null || !WriteBackNote.Writes(context.Entry, record) || !gateway.IsOn(incident.Source))
        {
            yield break;
        }

        yield return new EntryPart(Stream, () => WriteAsync(context, record, cancellationToken));
    }

    private async Task WriteAsync(DeliveryContext context, SourceRecord record, CancellationToken cancellationToken)
    {
        var text = WriteBackNote.Text(context.Entry, LatestSafeInvocation(context), settings.IncidentLink(context.Entry.IncidentKey));
        var fields = WriteBackNote.Fields(context.Entry, record, context.Policy);
        // A refusal for good is logged by the step runner and kept in the ledger; a transient failure leaves the stream pending.
        await steps.RunAsync(
            context,
            Stream,
            NoteStep,
            CatalogNames.Name(record.Source),
            async () => (await gateway.AddNoteAsync(record, text, cancellationToken, fields), null),
            cancellationToken);
    }

    private static DateTimeOffset? LatestSafeInvocation(DeliveryContext context) =>
        context.Stored.LatestAssessment?.ImpactedServices
            .Select(s => DateTimeOffset.TryParse(s.LatestSafeInvocation, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null)
            .Where(at => at is not null)
            .Min();
}

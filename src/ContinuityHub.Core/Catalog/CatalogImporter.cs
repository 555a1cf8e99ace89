using System.Security.Cryptography;

namespace ContinuityHub.Catalog;

/// <summary>What an import did: per table, and to plan documents.</summary>
public sealed record ImportResult(CatalogChanges Tables, int DocumentsUploaded, int DocumentsUnchanged, ContinuityCatalog Stored)
{
    public bool Changed => Tables.Changed || DocumentsUploaded > 0;
}

/// <summary>
/// Loads a catalogue into the store. Everything is checked before anything is written (validation, every document
/// present and not in conflict with what is stored), so bad input leaves the store as it was. Documents go first
/// (immutable, skipped when already stored with the same SHA-256), then the tables are made to match the catalogue.
/// </summary>
public sealed class CatalogImporter(ICatalogStore store, IDocumentStore documents)
{
    private const int MaxAttempts = 3;

    public async Task<ImportResult> ImportAsync(ContinuityCatalog catalog, IDocumentSource source, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var invalid = CatalogValidator.Validate(catalog);
        if (invalid.Count > 0)
        {
            throw new HubValidationException(invalid);
        }

        var problems = new List<ValidationProblem>();
        var uploads = new List<(ContinuityPlan Plan, PlanDocument Document, string Sha256)>();
        var unchanged = 0;
        var plans = new List<ContinuityPlan>(catalog.Plans.Count);
        for (var i = 0; i < catalog.Plans.Count; i++)
        {
            var plan = catalog.Plans[i];
            var docs = new List<PlanDocument>(plan.Documents.Count);
            for (var d = 0; d < plan.Documents.Count; d++)
            {
                var doc = plan.Documents[d];
                var path = $"plans[{i}].documents[{d}]";
                string? sha;
                bool onDisk;
                await using (var content = source.TryOpen(doc.Path))
                {
                    onDisk = content is not null;
                    sha = content is null ? doc.Sha256 : Convert.ToHexStringLower(await SHA256.HashDataAsync(content, cancellationToken));
                    if (sha is null)
                    {
                        problems.Add(new(path + ".path", $"file not found: {source.Describe(doc.Path)}"));
                        docs.Add(doc);
                        continue;
                    }
                }

                var stored = await documents.GetSha256Async(plan.Id, plan.Version, doc.FileName, cancellationToken);
                var blob = $"plan-documents/{plan.Id}/{plan.Version}/{doc.FileName}";
                if (stored is null && onDisk)
                {
                    uploads.Add((plan, doc, sha));
                }
                else if (stored is null)
                {
                    problems.Add(new(path + ".path", $"file not found: {source.Describe(doc.Path)}, and {blob} is not stored"));
                }
                else if (!string.Equals(stored, sha, StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add(new(path, $"{blob} is already stored with other content (SHA-256 {stored[..12]}…, file {sha[..12]}…); documents of a version never change: raise the plan's version"));
                }
                else
                {
                    unchanged++;
                }

                docs.Add(doc with { Sha256 = sha });
            }

            plans.Add(plan with { Documents = docs });
        }

        if (problems.Count > 0)
        {
            throw new HubValidationException(problems);
        }

        foreach (var (plan, doc, sha) in uploads)
        {
            await using var content = source.TryOpen(doc.Path)
                ?? throw new HubValidationException($"plans.{plan.Id}.documents", $"file disappeared while importing: {source.Describe(doc.Path)}");
            await documents.UploadAsync(plan.Id, plan.Version, doc.FileName, content, sha, cancellationToken);
            progress?.Report($"Uploaded plan-documents/{plan.Id}/{plan.Version}/{doc.FileName}");
        }

        var stored2 = catalog with { Plans = plans };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var changes = await store.ReplaceAsync(stored2, progress, cancellationToken);
                return new ImportResult(changes, uploads.Count, unchanged, stored2);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                progress?.Report("The stored catalogue changed while importing; reading it again.");
            }
        }
    }
}

/// <summary>Documents on disk, by paths relative to the catalogue file's folder.</summary>
public sealed class DirectoryDocumentSource(string baseDirectory) : IDocumentSource
{
    public Stream? TryOpen(string path)
    {
        var full = Resolve(path);
        return File.Exists(full) ? File.OpenRead(full) : null;
    }

    public string Describe(string path) => Resolve(path);

    private string Resolve(string path) => Path.GetFullPath(Path.Combine(baseDirectory, path.Replace('\\', '/')));
}

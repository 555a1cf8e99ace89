using System.Text.Json.Nodes;
using ContinuityHub.Azure.Reactions;
using ContinuityHub.Catalog;
using ContinuityHub.Local;
using ContinuityHub.Reactions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContinuityHub.Azure.Tests.Reactions;

/// <summary><c>hub serve</c>'s reactions sink: the requests the hub would send, one file each, credentials masked.</summary>
public sealed class LocalReactionsSinkTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hub-reactions-").FullName;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_servicenow_incident_known_by_its_number_shows_the_lookup_then_the_work_note()
    {
        await Sink().AddNoteAsync(new SourceRecord(AliasSource.ServiceNow, "INC0012345"), "ContinuityHub: level Alert.", Token);

        var files = Directory.GetFiles(_directory).Order(StringComparer.Ordinal).Select(f => (Name: Path.GetFileName(f), Json: JsonNode.Parse(File.ReadAllText(f))!)).ToList();
        Assert.Equal(["000001-servicenow-lookup.json", "000002-servicenow-note.json"], files.Select(f => f.Name));
        Assert.Equal("GET", files[0].Json["method"]!.GetValue<string>());
        Assert.Contains("sysparm_query=number%3DINC0012345", files[0].Json["url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(("PATCH", "INC0012345"), (files[1].Json["method"]!.GetValue<string>(), files[1].Json["record"]!.GetValue<string>()));
        Assert.Equal("ContinuityHub: level Alert.", files[1].Json["body"]!["work_notes"]!.GetValue<string>());
        Assert.All(files, f => Assert.Equal("Basic ***", f.Json["headers"]!["Authorization"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_servicenow_fields_set_beside_the_note_are_in_the_recorded_body_by_sys_id_and_by_number()
    {
        var fields = new Dictionary<string, string> { ["major_incident_state"] = "accepted", ["u_continuity_level"] = "Alert" };
        var sink = Sink();

        await sink.AddNoteAsync(new SourceRecord(AliasSource.ServiceNow, "d3f1a6c24f8b1210a1e5c2d18e0a7c41"), "ContinuityHub: level Alert.", Token, fields);
        await sink.AddNoteAsync(new SourceRecord(AliasSource.ServiceNow, "INC0012345"), "ContinuityHub: level Alert.", Token, fields);

        var notes = Directory.GetFiles(_directory, "*-servicenow-note.json").Select(f => JsonNode.Parse(File.ReadAllText(f))!["body"]!).ToList();
        Assert.Equal(2, notes.Count);
        Assert.All(notes, body => Assert.Equal(
            [("work_notes", "ContinuityHub: level Alert."), ("major_incident_state", "accepted"), ("u_continuity_level", "Alert")],
            body.AsObject().Select(p => (p.Key, p.Value!.GetValue<string>()))));
    }

    [Fact]
    public async Task An_opsgenie_note_is_written_as_its_request_with_the_key_masked()
    {
        var sources = new[] { new WriteBackSource(AliasSource.Opsgenie, null, "ContinuityHub", "og-secret-key") };

        await Sink(sources).AddNoteAsync(new SourceRecord(AliasSource.Opsgenie, "70413a06"), "ContinuityHub: stand-down.", Token);

        var file = Assert.Single(Directory.GetFiles(_directory));
        var text = await File.ReadAllTextAsync(file, Token);
        Assert.EndsWith("-opsgenie-note.json", file, StringComparison.Ordinal);
        Assert.DoesNotContain("og-secret-key", text, StringComparison.Ordinal);
        Assert.Contains("https://api.opsgenie.com/v2/alerts/70413a06/notes?identifierType=id", text, StringComparison.Ordinal);
        Assert.Contains("GenieKey ***", text, StringComparison.Ordinal);
    }

    private LocalReactionsSink Sink(IReadOnlyList<WriteBackSource>? sources = null)
    {
        var factory = new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        sources ??= [];
        return new LocalReactionsSink(_directory, sources, new HttpWriteBackGateway(factory, sources, NullLogger<HttpWriteBackGateway>.Instance));
    }
}

using System.Text;
using ContinuityHub.Catalog;
using CsCheck;

namespace ContinuityHub.Core.Tests.Incidents.Parsing;

/// <summary>
/// Each parser on its own meets 10,000 generated and mutated payloads: random JSON objects and values, its samples with
/// fields removed or replaced, with extreme times and with bytes spliced in, random bytes and text. Only
/// <see cref="HubValidationException"/> may escape; CsCheck prints the failing payload.
/// </summary>
public class IncidentParserFuzzTests
{
    public static TheoryData<AliasSource> Sources { get; } = [.. Enum.GetValues<AliasSource>()];

    [Theory]
    [MemberData(nameof(Sources))]
    public void Ten_thousand_generated_and_mutated_payloads_never_throw_anything_but_HubValidationException(AliasSource source)
    {
        // Arrange: the source's own samples, so mutations reach the deep fields random objects rarely build.
        var samples = PayloadGenerators.s_samples.Value.Where(s => s.Source == source).ToArray();
        Assert.NotEmpty(samples);
        var sample = Gen.OneOfConst(samples);
        var change = Gen.Frequency((1, Gen.Const((string?)null)), (4, PayloadGenerators.s_value.Select(v => (string?)v)));
        var mutated =
            from s in sample
            from changes in Gen.Select(Gen.Int[0, s.Nodes - 1], change).Array[1, 5]
            select PayloadGenerators.Mutate(s.Json, changes);
        var timed =
            from s in sample
            from times in PayloadGenerators.s_extremeTime.Array[8]
            select PayloadGenerators.ReplaceTimes(s.Json, times);
        var spliced =
            from s in sample
            from at in Gen.Int[0, s.Json.Length]
            from bytes in Gen.Byte.Array[1, 4]
            select PayloadGenerators.Splice(Encoding.UTF8.GetBytes(s.Json), at, bytes);
        var truncated =
            from s in sample
            from length in Gen.Int[0, s.Json.Length]
            select s.Json[..length];

        // Act and assert: 2,500 + 1,000 + 3,000 + 1,500 + 1,000 + 500 + 500 = 10,000 payloads.
        PayloadGenerators.s_object.Sample(json => PayloadGenerators.ParseOrRefuse(source, json), iter: 2500);
        PayloadGenerators.s_value.Sample(json => PayloadGenerators.ParseOrRefuse(source, json), iter: 1000);
        mutated.Sample(json => PayloadGenerators.ParseOrRefuse(source, json), iter: 3000);
        timed.Sample(json => PayloadGenerators.ParseOrRefuse(source, json), iter: 1500);
        spliced.Sample(bytes => PayloadGenerators.ParseOrRefuse(source, bytes), iter: 1000);
        truncated.Sample(json => PayloadGenerators.ParseOrRefuse(source, json), iter: 500);
        Gen.Byte.Array[0, 80].Sample(bytes => PayloadGenerators.ParseOrRefuse(source, bytes), iter: 500);
    }
}

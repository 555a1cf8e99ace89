using System.Text;
using ContinuityHub.Catalog;
using CsCheck;

namespace ContinuityHub.Core.Tests.Incidents.Parsing;

/// <summary>Whatever arrives, a parser returns an incident or throws <see cref="HubValidationException"/>, nothing else.</summary>
public class IncidentParserPropertyTests
{
    [Fact]
    public void Arbitrary_JSON_objects_never_throw_anything_but_HubValidationException()
    {
        Gen.Select(PayloadGenerators.s_source, PayloadGenerators.s_object).Sample((source, json) => PayloadGenerators.ParseOrRefuse(source, json), iter: 2000);
    }

    [Fact]
    public void Arbitrary_JSON_values_of_any_kind_never_throw_anything_but_HubValidationException()
    {
        Gen.Select(PayloadGenerators.s_source, PayloadGenerators.s_value).Sample((source, json) => PayloadGenerators.ParseOrRefuse(source, json), iter: 1000);
    }

    [Fact]
    public void Samples_with_fields_removed_or_replaced_never_throw_anything_but_HubValidationException()
    {
        // Arrange: real payloads reach the deep fields (event.data.priority.summary) random objects rarely build.
        var change = Gen.Frequency((1, Gen.Const((string?)null)), (4, PayloadGenerators.s_value.Select(v => (string?)v)));
        var mutated =
            from sample in Gen.OneOfConst(PayloadGenerators.s_samples.Value)
            from changes in Gen.Select(Gen.Int[0, sample.Nodes - 1], change).Array[1, 5]
            select (sample.Source, PayloadGenerators.Mutate(sample.Json, changes));

        // Act and assert
        mutated.Sample(m => PayloadGenerators.ParseOrRefuse(m.Source, m.Item2), iter: 6000);
    }

    [Fact]
    public void Samples_with_extreme_times_where_times_are_never_keep_a_time_out_of_range()
    {
        // Arrange: every time field of a real payload replaced, so each parser's time reading meets the range's edges.
        var changed =
            from sample in Gen.OneOfConst(PayloadGenerators.s_samples.Value)
            from times in PayloadGenerators.s_extremeTime.Array[8]
            select (sample.Source, PayloadGenerators.ReplaceTimes(sample.Json, times));

        // Act and assert
        changed.Sample(c => PayloadGenerators.ParseOrRefuse(c.Source, c.Item2), iter: 3000);
    }

    [Fact]
    public void Random_bytes_never_throw_anything_but_HubValidationException()
    {
        Gen.Select(PayloadGenerators.s_source, Gen.Byte.Array[0, 80]).Sample((source, bytes) => PayloadGenerators.ParseOrRefuse(source, bytes), iter: 2000);
    }

    [Fact]
    public void Samples_with_random_bytes_spliced_in_never_throw_anything_but_HubValidationException()
    {
        // Arrange: bytes landing inside a string are invalid UTF-8 the JSON reader lets through.
        var spliced =
            from sample in Gen.OneOfConst(PayloadGenerators.s_samples.Value)
            from at in Gen.Int[0, sample.Json.Length]
            from bytes in Gen.Byte.Array[1, 4]
            select (sample.Source, PayloadGenerators.Splice(Encoding.UTF8.GetBytes(sample.Json), at, bytes));

        // Act and assert
        spliced.Sample(s => PayloadGenerators.ParseOrRefuse(s.Source, s.Item2), iter: 3000);
    }

    [Fact]
    public void Random_text_never_throws_anything_but_HubValidationException()
    {
        Gen.Select(PayloadGenerators.s_source, Gen.String[0, 40]).Sample((source, text) => PayloadGenerators.ParseOrRefuse(source, text), iter: 1000);
    }
}

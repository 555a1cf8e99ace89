using System.Text.Json;
using ContinuityHub.Catalog;

namespace ContinuityHub.Reporting;

/// <summary>
/// The report's three forms, written to <c>reports/{yyyy-MM-dd}/continuity-report.{json,csv,html}</c>: JSON for
/// dashboards and tests, the CSV sheet continuity managers keep, and the HTML a crisis manager forwards to the board.
/// </summary>
public static class ReportRenderer
{
    /// <summary>
    /// The options <see cref="ToJson"/> writes with (camelCase, indented, durations ISO 8601, dates <c>yyyy-MM-dd</c>,
    /// times ISO 8601 UTC, enumerations by name): read the JSON back with them.
    /// </summary>
    public static JsonSerializerOptions JsonOptions => ReportJson.Options;

    /// <summary>Every field of the report, camelCase and indented.</summary>
    public static string ToJson(ContinuityReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return ReportJson.Serialize(report);
    }

    /// <summary>
    /// One row per catalogued service: id, name, tier, rto, rpo, mtpd, plan, lastExercise, lastExerciseDate,
    /// achievedRecovery, gap, biaAgeDays. RFC 4180 with CRLF line ends; cells that a spreadsheet would run as a formula
    /// get a leading apostrophe. Write it as UTF-8 with a byte-order mark for Excel to read non-ASCII names right.
    /// </summary>
    /// <param name="catalog">The catalogue the report was built from: it supplies the BIA columns and the row order.</param>
    public static string ToCsv(ContinuityReport report, ContinuityCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(catalog);
        return ReportCsv.Write(report, catalog);
    }

    /// <summary>One self-contained, printable HTML file with inline SVG charts; no script, no external resource.</summary>
    /// <param name="catalog">The catalogue the report was built from: it supplies plan titles, the policy and the exercise calendar.</param>
    public static string ToHtml(ContinuityReport report, ContinuityCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(catalog);
        return ReportHtml.Write(report, catalog);
    }
}

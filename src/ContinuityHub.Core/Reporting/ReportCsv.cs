using System.Globalization;
using System.Text;
using ContinuityHub.Catalog;

namespace ContinuityHub.Reporting;

/// <summary>
/// The continuity sheet: one row per catalogued service (catalogue order), its BIA figures from the catalogue and
/// its plan, last exercise, achieved recovery, gap and BIA age from the report. RFC 4180 (CRLF line ends, fields
/// with a comma, quote or line break quoted, quotes doubled); a cell starting with <c>= + - @</c>, tab or carriage
/// return gets a leading apostrophe so a spreadsheet shows it as text instead of running it as a formula.
/// Durations as the catalogue writes them (<c>4h</c>, <c>90m</c>), dates <c>yyyy-MM-dd</c>.
/// </summary>
internal static class ReportCsv
{
    public static readonly string[] Columns =
        ["id", "name", "tier", "rto", "rpo", "mtpd", "plan", "lastExercise", "lastExerciseDate", "achievedRecovery", "gap", "biaAgeDays"];

    public static string Write(ContinuityReport report, ContinuityCatalog catalog)
    {
        var rows = new Dictionary<string, ServiceRow>(report.Services.Count, StringComparer.Ordinal);
        foreach (var row in report.Services)
        {
            rows.TryAdd(row.Id, row);
        }

        var csv = new StringBuilder(128 * (catalog.Services.Count + 1));
        Line(csv, Columns);
        var cells = new string?[Columns.Length];
        foreach (var service in catalog.Services)
        {
            var row = rows.GetValueOrDefault(service.Id);
            cells[0] = service.Id;
            cells[1] = service.Name;
            cells[2] = service.Tier.ToString(CultureInfo.InvariantCulture);
            cells[3] = Durations.Format(service.Rto);
            cells[4] = Durations.Format(service.Rpo);
            cells[5] = Durations.Format(service.Mtpd);
            cells[6] = row?.Plan;
            cells[7] = row?.LastExercise;
            cells[8] = row?.LastExerciseDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            cells[9] = row?.AchievedRecovery is { } achieved ? Durations.Format(achieved) : null;
            cells[10] = row?.Gap is { } gap ? Durations.Format(gap) : null;
            cells[11] = row?.BiaAgeDays?.ToString(CultureInfo.InvariantCulture);
            Line(csv, cells);
        }

        return csv.ToString();
    }

    private static void Line(StringBuilder csv, string?[] cells)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                csv.Append(',');
            }

            Cell(csv, cells[i]);
        }

        csv.Append("\r\n");
    }

    internal static void Cell(StringBuilder csv, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        var formula = value[0] is '=' or '+' or '-' or '@' or '\t' or '\r';
        var quote = value.AsSpan().IndexOfAny(",\"\r\n") >= 0;
        if (quote)
        {
            csv.Append('"');
        }

        if (formula)
        {
            csv.Append('\'');
        }

        if (quote)
        {
            csv.Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        }
        else
        {
            csv.Append(value);
        }
    }
}

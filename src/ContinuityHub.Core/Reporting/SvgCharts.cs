using System.Globalization;
using System.Net;
using System.Text;

namespace ContinuityHub.Reporting;

/// <summary>
/// The report's charts as inline SVG: no script, no external resource, every label HTML-escaped. Each chart copes
/// with no data by saying so ("Nothing to chart") in a frame of the same size.
/// </summary>
internal static partial class SvgCharts
{
    public const string Ink = "#1b2533";
    public const string Muted = "#5b6675";
    public const string Grid = "#e3e7ed";
    public const string Good = "#1e7b47";
    public const string Warn = "#c98400";
    public const string Bad = "#c0392b";
    public const string Blue = "#2f6fb0";
    public const string Neutral = "#9aa5b1";

    private const string NothingToChart = "Nothing to chart";

    public sealed record Segment(string Label, int Value, string Color);

    public sealed record Bar(string Label, int Value, string Color);

    /// <summary>One service in the RTO chart: the RTO it must meet and the recovery its plan's last measured exercise achieved.</summary>
    public sealed record RtoBar(string Label, string Id, TimeSpan Rto, TimeSpan Achieved, string Exercise);

    /// <summary>One exercise on the calendar; <paramref name="Day"/> is days from the report date (negative: overdue).</summary>
    public sealed record CalendarItem(string Label, string Detail, string Id, int Day, DateOnly Scheduled);

    /// <summary>A donut of parts of a whole with a legend; <paramref name="center"/> is written in the hole.</summary>
    public static void Donut(StringBuilder svg, string title, IReadOnlyList<Segment> segments, string center, string centerNote, string empty)
    {
        const int Width = 340, Height = 190, Cx = 86, Cy = 95, R = 64, Thickness = 24;
        var total = segments.Sum(s => s.Value);
        if (total == 0)
        {
            Empty(svg, title, Width, Height, empty);
            return;
        }

        Open(svg, title, Width, Height);
        var circumference = 2 * Math.PI * R;
        svg.Append(CultureInfo.InvariantCulture, $"""<circle cx="{Cx}" cy="{Cy}" r="{R}" fill="none" stroke="{Grid}" stroke-width="{Thickness}"/>""");
        var offset = 0.0;
        foreach (var segment in segments)
        {
            if (segment.Value == 0)
            {
                continue;
            }

            var length = circumference * segment.Value / total;
            svg.Append(CultureInfo.InvariantCulture, $"""<circle cx="{Cx}" cy="{Cy}" r="{R}" fill="none" stroke="{segment.Color}" stroke-width="{Thickness}" stroke-dasharray="{F(length)} {F(circumference - length)}" stroke-dashoffset="{F(-offset)}" transform="rotate(-90 {Cx} {Cy})"><title>{E(segment.Label)}: {segment.Value}</title></circle>""");
            offset += length;
        }

        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Cx}" y="{Cy + 4}" text-anchor="middle" font-size="26" font-weight="700" fill="{Ink}">{E(center)}</text>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Cx}" y="{Cy + 21}" text-anchor="middle" font-size="10.5" fill="{Muted}">{E(centerNote)}</text>""");
        var y = Cy - (segments.Count * 26 / 2) + 8;
        foreach (var segment in segments)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="176" y="{y - 10}" width="12" height="12" rx="2" fill="{segment.Color}"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="194" y="{y}" font-size="12" fill="{Ink}">{E(segment.Label)}</text>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Width - 8}" y="{y}" font-size="12" font-weight="700" text-anchor="end" fill="{Ink}">{segment.Value}</text>""");
            y += 26;
        }

        Close(svg);
    }

    /// <summary>Horizontal bars, one per label, with the count at the end of each.</summary>
    public static void Bars(StringBuilder svg, string title, IReadOnlyList<Bar> bars, string empty)
    {
        const int Width = 340, Row = 28, Top = 14, LabelWidth = 132, BarRight = 300;
        var height = Top + (bars.Count * Row) + 8;
        var max = bars.Count == 0 ? 0 : bars.Max(b => b.Value);
        if (max == 0)
        {
            Empty(svg, title, Width, Math.Max(height, 190), empty);
            return;
        }

        Open(svg, title, Width, height);
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var y = Top + (i * Row);
            var length = (BarRight - LabelWidth) * (double)bar.Value / max;
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{LabelWidth - 8}" y="{y + 14}" font-size="12" text-anchor="end" fill="{Ink}">{E(bar.Label)}</text>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{LabelWidth}" y="{y + 2}" width="{BarRight - LabelWidth}" height="16" rx="3" fill="{Grid}" opacity="0.6"/>""");
            if (bar.Value > 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{LabelWidth}" y="{y + 2}" width="{F(Math.Max(length, 3))}" height="16" rx="3" fill="{bar.Color}"><title>{E(bar.Label)}: {bar.Value}</title></rect>""");
            }

            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{BarRight + 8}" y="{y + 14}" font-size="12" font-weight="700" fill="{Ink}">{bar.Value}</text>""");
        }

        Close(svg);
    }

    /// <summary>
    /// RTO against achieved recovery, one row per service: the RTO as a grey band ending in a dark tick, the achieved
    /// recovery as a bar over it, blue up to the RTO and red beyond it (the gap).
    /// </summary>
    public static void RtoChart(StringBuilder svg, string title, IReadOnlyList<RtoBar> rows, string? more, string empty)
    {
        const int Width = 1000, Top = 34, Row = 24, LabelRight = 236, PlotLeft = 246, PlotRight = 850;
        if (rows.Count == 0)
        {
            Empty(svg, title, Width, 160, empty);
            return;
        }

        var (step, axisMax) = Axis(rows.Max(r => r.Rto > r.Achieved ? r.Rto : r.Achieved));
        var plotBottom = Top + (rows.Count * Row);
        var height = plotBottom + (more is null ? 30 : 46);
        double X(TimeSpan value) => PlotLeft + ((PlotRight - PlotLeft) * (value.TotalMinutes / axisMax.TotalMinutes));

        Open(svg, title, Width, height);
        Legend(svg, 8, 14, [("RTO (the target)", "#cfd6df"), ("Achieved within RTO", Blue), ("Beyond RTO: the gap", Bad)]);
        for (var tick = TimeSpan.Zero; tick <= axisMax; tick += step)
        {
            var x = X(tick);
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{F(x)}" y1="{Top - 6}" x2="{F(x)}" y2="{plotBottom}" stroke="{Grid}"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{F(x)}" y="{plotBottom + 16}" font-size="11" text-anchor="middle" fill="{Muted}">{HumanText.Duration(tick)}</text>""");
        }

        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var y = Top + (i * Row);
            var gap = row.Achieved > row.Rto;
            var within = gap ? row.Rto : row.Achieved;
            svg.Append(CultureInfo.InvariantCulture, $"""<g><title>{E(row.Label)} ({E(row.Id)}): achieved {HumanText.Duration(row.Achieved)} in {E(row.Exercise)} against an RTO of {HumanText.Duration(row.Rto)}</title>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{LabelRight}" y="{y + 15}" font-size="12" text-anchor="end" fill="{Ink}">{E(HumanText.Truncate(row.Label, 34))}</text>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{PlotLeft}" y="{y + 3}" width="{F(X(row.Rto) - PlotLeft)}" height="16" fill="#cfd6df"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{PlotLeft}" y="{y + 7}" width="{F(Math.Max(X(within) - PlotLeft, 1))}" height="8" fill="{Blue}"/>""");
            if (gap)
            {
                svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{F(X(row.Rto))}" y="{y + 5}" width="{F(X(row.Achieved) - X(row.Rto))}" height="12" fill="{Bad}"/>""");
            }

            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{F(X(row.Rto))}" y1="{y + 1}" x2="{F(X(row.Rto))}" y2="{y + 21}" stroke="{Ink}" stroke-width="2"/>""");
            var note = gap
                ? $"""<tspan font-weight="700" fill="{Bad}">+{HumanText.Duration(row.Achieved - row.Rto)}</tspan> {HumanText.Duration(row.Achieved)} vs {HumanText.Duration(row.Rto)}"""
                : $"{HumanText.Duration(row.Achieved)} vs {HumanText.Duration(row.Rto)}";
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{PlotRight + 10}" y="{y + 15}" font-size="12" fill="{Ink}">{note}</text></g>""");
        }

        if (more is not null)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{PlotLeft}" y="{plotBottom + 38}" font-size="11" font-style="italic" fill="{Muted}">{E(more)}</text>""");
        }

        Close(svg);
    }

    /// <summary>
    /// The exercise calendar: one row per exercise, overdue ones in a column of their own, the next
    /// <paramref name="days"/> days as a week grid with the first <paramref name="dueDays"/> shaded.
    /// </summary>
    public static void Calendar(StringBuilder svg, string title, DateOnly reportDate, int days, int dueDays, IReadOnlyList<CalendarItem> items, string? more, string empty)
    {
        const int Width = 1000, Top = 44, Row = 26, LabelRight = 300, LateLeft = 310, LateRight = 384, PlotLeft = 396, PlotRight = 986;
        if (items.Count == 0)
        {
            Empty(svg, title, Width, 160, empty);
            return;
        }

        var bottom = Top + (items.Count * Row);
        var height = bottom + (more is null ? 24 : 44);
        double X(int day) => PlotLeft + ((PlotRight - PlotLeft) * (double)day / days);

        Open(svg, title, Width, height);
        Legend(svg, 8, 14, [("Overdue", Bad), ($"Due within {dueDays} days", Warn), ("Scheduled later", Blue)]);

        // The grid: the overdue column, the due window, one band per week with its first day.
        svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{LateLeft}" y="{Top - 4}" width="{LateRight - LateLeft}" height="{bottom - Top + 8}" rx="4" fill="#fbeaea"/>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{(LateLeft + LateRight) / 2}" y="{Top - 10}" font-size="11" font-weight="700" text-anchor="middle" fill="{Bad}">Overdue</text>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{PlotLeft}" y="{Top - 4}" width="{F(X(dueDays + 1) - PlotLeft)}" height="{bottom - Top + 8}" fill="#fdf3dc"/>""");
        for (var week = 0; week * 7 <= days; week++)
        {
            var x = X(week * 7);
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{F(x)}" y1="{Top - 4}" x2="{F(x)}" y2="{bottom + 4}" stroke="{Grid}"/>""");
            if (week * 7 < days - 3)
            {
                svg.Append(CultureInfo.InvariantCulture, $"""<text x="{F(x + 3)}" y="{Top - 10}" font-size="10" fill="{Muted}">{ReportFormat.ShortDate(reportDate.AddDays(week * 7))}</text>""");
            }
        }

        svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{PlotLeft}" y1="{Top - 4}" x2="{PlotLeft}" y2="{bottom + 4}" stroke="{Ink}" stroke-width="2"/>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{PlotLeft}" y="{bottom + 17}" font-size="10" fill="{Ink}">report date</text>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{F(X(dueDays + 1))}" y="{bottom + 17}" font-size="10" text-anchor="middle" fill="{Warn}">+{dueDays} days</text>""");

        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var y = Top + (i * Row);
            var mid = y + (Row / 2);
            var color = item.Day < 0 ? Bad : item.Day <= dueDays ? Warn : Blue;
            if (i % 2 == 1)
            {
                svg.Append(CultureInfo.InvariantCulture, $"""<rect x="0" y="{y}" width="{LabelRight + 4}" height="{Row}" fill="#f4f6f9"/>""");
            }

            svg.Append(CultureInfo.InvariantCulture, $"""<g><title>{E(item.Id)}: {E(item.Label)}, {E(item.Detail)}, scheduled {ReportFormat.Date(item.Scheduled)}</title>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="8" y="{mid + 4}" font-size="12" fill="{Ink}">{E(HumanText.Truncate(item.Label, 34))}<tspan fill="{Muted}" font-size="11"> · {E(item.Detail)}</tspan></text>""");
            if (item.Day < 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"""<circle cx="{LateLeft + 12}" cy="{mid}" r="5" fill="{Bad}"/>""");
                svg.Append(CultureInfo.InvariantCulture, $"""<text x="{LateLeft + 22}" y="{mid + 4}" font-size="11" font-weight="700" fill="{Bad}">{HumanText.Duration(TimeSpan.FromDays(-item.Day))} late</text>""");
            }
            else
            {
                var x = X(item.Day) + ((X(1) - X(0)) / 2);
                svg.Append(CultureInfo.InvariantCulture, $"""<path d="M{F(x)} {mid - 7} l7 7 l-7 7 l-7 -7 z" fill="{color}"/>""");
                var right = x > PlotRight - 60;
                svg.Append(CultureInfo.InvariantCulture, $"""<text x="{F(right ? x - 10 : x + 10)}" y="{mid + 4}" font-size="11" text-anchor="{(right ? "end" : "start")}" fill="{Ink}">{ReportFormat.ShortDate(item.Scheduled)}</text>""");
            }

            svg.Append("</g>");
        }

        if (more is not null)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="8" y="{bottom + 36}" font-size="11" font-style="italic" fill="{Muted}">{E(more)}</text>""");
        }

        Close(svg);
    }

    private static void Legend(StringBuilder svg, int x, int y, (string Label, string Color)[] keys)
    {
        foreach (var (label, color) in keys)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{x}" y="{y - 9}" width="11" height="11" rx="2" fill="{color}"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{x + 16}" y="{y}" font-size="11" fill="{Muted}">{E(label)}</text>""");
            x += 32 + (label.Length * 6);
        }
    }

    // A step (from a list of readable ones) giving at most 8 ticks, and the axis end rounded up to a whole step.
    private static (TimeSpan Step, TimeSpan Max) Axis(TimeSpan max)
    {
        ReadOnlySpan<int> minutes = [5, 10, 15, 30, 60, 120, 180, 240, 360, 480, 720, 1440, 2880, 4320, 7200, 10080, 20160, 43200];
        var top = Math.Max(max.TotalMinutes, 1);
        var step = minutes[^1];
        foreach (var m in minutes)
        {
            if (top / m <= 8)
            {
                step = m;
                break;
            }
        }

        var ticks = Math.Max(1, (int)Math.Ceiling(top / step));
        return (TimeSpan.FromMinutes(step), TimeSpan.FromMinutes((double)step * ticks));
    }

    private static void Open(StringBuilder svg, string title, int width, int height) =>
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{E(title)}"><title>{E(title)}</title>""");

    private static void Close(StringBuilder svg) => svg.Append("</svg>");

    private static void Empty(StringBuilder svg, string title, int width, int height, string why)
    {
        Open(svg, title, width, height);
        svg.Append(CultureInfo.InvariantCulture, $"""<rect x="1" y="1" width="{width - 2}" height="{height - 2}" rx="8" fill="#f7f8fa" stroke="{Grid}" stroke-dasharray="4 4"/>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{width / 2}" y="{(height / 2) - 4}" font-size="14" font-weight="700" text-anchor="middle" fill="{Muted}">{NothingToChart}</text>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{width / 2}" y="{(height / 2) + 16}" font-size="12" text-anchor="middle" fill="{Muted}">{E(why)}</text>""");
        Close(svg);
    }

    private static string E(string text) => ReportHtml.E(text);

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Text;

namespace ContinuityHub.Reporting;

internal static partial class SvgCharts
{
    /// <summary>One service in the RPO chart: its data exposure against its RPO, in the colour of its state.</summary>
    public sealed record RpoBar(string Label, string Id, string Heartbeat, TimeSpan Rpo, TimeSpan Exposure, string State, string Color);

    /// <summary>
    /// Data exposure against the RPO, one row per service, each on the scale of its own RPO (so 5 min and 4 h RPOs line
    /// up): the RPO as a grey band ending in a dark tick, the warning share as a dashed tick, the exposure as a bar in
    /// its state's colour; an exposure past the end of the axis is cut off with an arrow, its figure written beside it.
    /// </summary>
    public static void RpoChart(StringBuilder svg, string title, IReadOnlyList<RpoBar> rows, double warnFraction, (string Label, string Color)[] legend, string? more, string empty)
    {
        const int Width = 1000, Top = 34, Row = 24, LabelRight = 236, PlotLeft = 246, PlotRight = 760;
        if (rows.Count == 0)
        {
            Empty(svg, title, Width, 160, empty);
            return;
        }

        static double Share(RpoBar row) => row.Rpo > TimeSpan.Zero ? row.Exposure / row.Rpo : row.Exposure > TimeSpan.Zero ? double.PositiveInfinity : 0;

        // At least to 150% of the RPO, at most to 300%, in steps of a quarter (or a half past 150%).
        var axisMax = Math.Clamp(Math.Ceiling(rows.Max(Share) * 2) / 2, 1.5, 3.0);
        var step = axisMax <= 1.5 ? 0.25 : 0.5;
        var plotBottom = Top + (rows.Count * Row);
        var height = plotBottom + (more is null ? 30 : 46);
        double X(double share) => PlotLeft + ((PlotRight - PlotLeft) * Math.Min(share, axisMax) / axisMax);

        Open(svg, title, Width, height);
        Legend(svg, 8, 14, legend);
        for (var tick = 0.0; tick <= axisMax + 1e-9; tick += step)
        {
            var x = X(tick);
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{F(x)}" y1="{Top - 6}" x2="{F(x)}" y2="{plotBottom}" stroke="{Grid}"/>""");
            var label = Math.Abs(tick - 1) < 1e-9 ? "RPO" : string.Create(CultureInfo.InvariantCulture, $"{tick * 100:0}%");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{F(x)}" y="{plotBottom + 16}" font-size="11" text-anchor="middle" fill="{Muted}">{label}</text>""");
        }

        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var y = Top + (i * Row);
            var share = Share(row);
            svg.Append(CultureInfo.InvariantCulture, $"""<g><title>{E(row.Label)} ({E(row.Id)}): last recovery point {HumanText.Duration(row.Exposure)} ago ({E(row.Heartbeat)}) against an RPO of {HumanText.Duration(row.Rpo)}: {E(row.State)}</title>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{LabelRight}" y="{y + 15}" font-size="12" text-anchor="end" fill="{Ink}">{E(HumanText.Truncate(row.Label, 34))}</text>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{PlotLeft}" y="{y + 3}" width="{F(X(1) - PlotLeft)}" height="16" fill="#cfd6df"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{PlotLeft}" y="{y + 7}" width="{F(Math.Max(X(share) - PlotLeft, 1))}" height="8" fill="{row.Color}"/>""");
            if (share > axisMax)
            {
                svg.Append(CultureInfo.InvariantCulture, $"""<path d="M{PlotRight} {y + 4} l8 7 l-8 7 z" fill="{row.Color}"/>""");
            }

            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{F(X(warnFraction))}" y1="{y + 2}" x2="{F(X(warnFraction))}" y2="{y + 20}" stroke="{Warn}" stroke-width="1.5" stroke-dasharray="3 2"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{F(X(1))}" y1="{y + 1}" x2="{F(X(1))}" y2="{y + 21}" stroke="{Ink}" stroke-width="2"/>""");
            var percent = double.IsFinite(share) ? string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(share * 100):0}%") : "–";
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{PlotRight + 16}" y="{y + 15}" font-size="12" fill="{Ink}"><tspan font-weight="700" fill="{row.Color}">{percent}</tspan> {HumanText.Duration(row.Exposure)} of {HumanText.Duration(row.Rpo)} · {E(row.State)}</text></g>""");
        }

        if (more is not null)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{PlotLeft}" y="{plotBottom + 38}" font-size="11" font-style="italic" fill="{Muted}">{E(more)}</text>""");
        }

        Close(svg);
    }
}

using System.Text;
using ContinuityHub.Catalog;

namespace ContinuityHub.Reporting;

/// <summary>One rendered file of the report, as it is stored.</summary>
public sealed record ReportFile(string FileName, string ContentType, ReadOnlyMemory<byte> Content);

/// <summary>
/// The report's three files, by the names they carry in <c>reports/{yyyy-MM-dd}/</c> and in the folder <c>hub report</c>
/// writes to: the HTML and the JSON in UTF-8, the CSV in UTF-8 with a byte-order mark so that Excel reads non-ASCII
/// names right.
/// </summary>
public static class ReportFiles
{
    public const string Html = "continuity-report.html";
    public const string Json = "continuity-report.json";
    public const string Csv = "continuity-report.csv";

    public const string HtmlContentType = "text/html; charset=utf-8";
    public const string JsonContentType = "application/json; charset=utf-8";
    public const string CsvContentType = "text/csv; charset=utf-8";

    private static readonly UTF8Encoding _utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The HTML, the JSON and the CSV of <paramref name="report"/>, in that order.</summary>
    /// <param name="catalog">The catalogue the report was built from.</param>
    public static IReadOnlyList<ReportFile> Render(ContinuityReport report, ContinuityCatalog catalog) =>
    [
        new(Html, HtmlContentType, Encode(ReportRenderer.ToHtml(report, catalog), byteOrderMark: false)),
        new(Json, JsonContentType, Encode(ReportRenderer.ToJson(report), byteOrderMark: false)),
        new(Csv, CsvContentType, Encode(ReportRenderer.ToCsv(report, catalog), byteOrderMark: true)),
    ];

    private static byte[] Encode(string text, bool byteOrderMark)
    {
        ReadOnlySpan<byte> bom = byteOrderMark ? Encoding.UTF8.Preamble : [];
        var bytes = new byte[bom.Length + _utf8.GetByteCount(text)];
        bom.CopyTo(bytes);
        _utf8.GetBytes(text, bytes.AsSpan(bom.Length));
        return bytes;
    }
}

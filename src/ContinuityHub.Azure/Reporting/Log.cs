using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure.Reporting;

/// <summary>Report storage adapter log messages; event ids 2300-2399.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2300, Level = LogLevel.Information,
        Message = "Report file {ReportPath} stored ({Bytes} bytes, sha256 {Sha256}, replaced: {Replaced})")]
    public static partial void ReportStored(ILogger logger, string reportPath, int bytes, string sha256, bool replaced);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Debug,
        Message = "Report file {ReportPath} is already stored with the same content; not written")]
    public static partial void ReportUnchanged(ILogger logger, string reportPath);
}

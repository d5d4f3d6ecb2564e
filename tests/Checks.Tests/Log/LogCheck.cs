using System.Text;
using DuplicityChecks.Checks.Log;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Checks.Tests.Log;

/// <summary>
/// Runs the log check's acquisition and evaluation on a log as its pipeline does (CheckPipeline: read, evaluate,
/// then the commit that the runner makes after the output).
/// </summary>
public static class LogCheck
{
    public static LogOptions Options(string logFile, params string[] extra)
        => LogOptions.From(CommandLine.Parse(["-l", logFile, .. extra], LogOptions.Specs), null);

    /// <summary>Writes <paramref name="text"/> to a temporary log and judges it.</summary>
    public static (CheckResult Result, LogScanResult Scan) Judge(string text, params string[] extra)
    {
        var path = Path.Combine(Path.GetTempPath(), $"duplicity-log-test-{Guid.NewGuid():N}.log");
        File.WriteAllText(path, text, new UTF8Encoding(false));
        try
        {
            return Judge(path, DateTimeOffset.FromUnixTimeSeconds(1795700000), extra);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static (CheckResult Result, LogScanResult Scan) Judge(string path, DateTimeOffset now, params string[] extra)
    {
        var options = Options(path, extra);
        using var probe = new LogProbe(options, DiagnosticLog.None, now);
        var scan = probe.Read();
        var result = new LogEvaluator(options, now, new SecretMasker()).Evaluate(scan);
        probe.CommitPosition(); // as the runner does once the result is printed
        return (result, scan);
    }

    public static IEnumerable<string> FailureNames(LogScanResult scan) => scan.Runs.SelectMany(r => r.Failures).Select(f => f.Failure.Name).Distinct();
}

using System.Text;
using System.Text.Json;
using DuplicityChecks.Duplicity.Logs;
using DuplicityChecks.Plugin;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Duplicity.Tests.Logs;

/// <summary>One recorded duplicity run in one of its log forms, with what the manifest says about it.</summary>
public sealed record FixtureLog(string Version, string Scenario, string Step, string Form, int ExitCode, string Action, JsonElement Flags, string Text)
{
    public override string ToString() => $"{Version}/{Scenario}/{Step} [{Form}]";

    public bool Has(string flag) => Flags.TryGetProperty(flag, out var v) && v.GetBoolean();
}

/// <summary>Reads the fixture runs and runs the check's acquisition and evaluation on text.</summary>
public static class LogFixtures
{
    /// <summary>Every duplicity step (not the shell steps) in every form it was recorded in.</summary>
    public static IEnumerable<FixtureLog> All()
    {
        foreach (var (version, scenario, step) in Manifest.AllSteps())
        {
            if (step.GetProperty("duplicity_action").ValueKind != JsonValueKind.String) continue;
            var name = step.GetProperty("step").GetString()!;
            var dir = Manifest.StepDirectory(version, scenario, name);
            var exit = step.GetProperty("exit_code").GetInt32();
            var action = step.GetProperty("duplicity_action").GetString()!;
            var flags = step.GetProperty("flags");
            string Read(string f) => File.ReadAllText(Path.Combine(dir, f));
            if (File.Exists(Path.Combine(dir, "output-merged.txt")))
                yield return new FixtureLog(version, scenario, name, "output-merged", exit, action, flags, Read("output-merged.txt"));
            if (File.Exists(Path.Combine(dir, "stdout.txt")))
                yield return new FixtureLog(version, scenario, name, "stdout+stderr", exit, action, flags, Read("stdout.txt") + Read("stderr.txt"));
            if (File.Exists(Path.Combine(dir, "log-fd3.txt")))
                yield return new FixtureLog(version, scenario, name, "log-fd3", exit, action, flags, Read("log-fd3.txt"));
        }
    }

    public static bool IsBackupAction(string action) => action is "backup (implicit full/inc)" or "full" or "incremental";

    public static LogCheckOptions Options(string logFile, params string[] extra)
        => LogCheckOptions.From(CommandLine.Parse(["-l", logFile, .. extra], LogCheckOptions.Specs), null);

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

    /// <summary>
    /// The failures the manifest's facts call for (an independent reading: flags are plain substring matches
    /// made by the fixture tools, exit codes are what the shell saw).
    /// </summary>
    public static HashSet<string> ExpectedFailures(FixtureLog log)
    {
        var e = new HashSet<string>();
        if (log.Has("eoferror")) e.Add("passphrase_eof");
        if (log.Has("lock_contention")) e.Add("lock_held");
        if (log.Has("gpg_error")) e.Add("gpg_failed");
        if (log.Has("enospc") && log.Has("backend_giving_up")) e.Add("destination_full");
        if (log.Has("permission_denied")) e.Add("backend_auth");
        if (log.Has("connection_refused")) e.Add("backend_unreachable");
        if (log.Has("backend_exception") && !log.Has("backend_giving_up") && !log.Has("enospc")) e.Add("backend_unreachable");
        if (log.ExitCode == 137) e.Add("unfinished");
        if (log.Has("orphaned_backup_files_warning")) e.Add("orphaned_files");
        if (log.Has("incomplete_sets_warning")) e.Add("incomplete_sets");
        if (log.Has("verify_differences")) e.Add("verify_differences");
        return e;
    }
}

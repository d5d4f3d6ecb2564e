using System.Text.Json;

namespace DuplicityChecks.TestSupport;

/// <summary>One recorded duplicity run in one of its log forms, with what the manifest says about it.</summary>
public sealed record FixtureLog(string Version, string Scenario, string Step, string Form, int ExitCode, string Action, JsonElement Flags, string Text)
{
    public override string ToString() => $"{Version}/{Scenario}/{Step} [{Form}]";

    public bool Has(string flag) => Flags.TryGetProperty(flag, out var v) && v.GetBoolean();
}

/// <summary>The recorded duplicity runs of every fixture, in each log form, with the failures their facts call for.</summary>
public static class FixtureLogs
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

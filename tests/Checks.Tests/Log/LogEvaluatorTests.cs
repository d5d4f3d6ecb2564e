using System.Text;
using DuplicityChecks.Checks.Log;
using DuplicityChecks.Plugin;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Checks.Tests.Log;

/// <summary>
/// The evaluation of check_duplicity_log, table-driven: readings built in code (the runs from the real scanner over
/// a text, the rest of what the probe reports set by hand: missing, first check, nothing new, waiting for a run, a
/// state problem) and the state, summary and perfdata the check prints for them.
/// </summary>
public class LogEvaluatorTests
{
    private const string Path = "/var/log/duplicity/job.log";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1795700000);
    private static readonly DateTime Written = Now.UtcDateTime.AddHours(-2);

    private static string Success => FixtureLogs.All().First(l => l.Version == "2.2.4" && l.Scenario == "full-plus-incrementals" && l.Form == "stdout+stderr" && l.ExitCode == 0 && l.Has("backup_statistics")).Text;

    private const string Started = "Local and Remote metadata are synchronized, no sync needed.\nLast full backup date: none\n";
    private const string DiskFull = "Giving up after 5 attempts. OSError: [Errno 28] No space left on device\n";

    /// <summary>The runs the real scanner finds in <paramref name="text"/>, as the probe reports them for <paramref name="scope"/>.</summary>
    private static LogScanResult Reading(LogScope scope, string text)
    {
        var runs = new List<Duplicity.Logs.LogRun>();
        var scanner = new Duplicity.Logs.LogScanner(runs.Add);
        var bytes = Encoding.UTF8.GetBytes(text);
        scanner.Scan(new MemoryStream(bytes));
        scanner.Finish();
        var judged = scope == LogScope.LastRun ? runs.TakeLast(1).ToList() : runs;
        return new LogScanResult
        {
            Path = Path,
            Scope = scope,
            Length = bytes.Length,
            BytesRead = bytes.Length,
            LastWriteUtc = Written,
            Runs = judged,
            RunCount = runs.Count,
            FailedRunCount = judged.Count(r => r.Failures.Count > 0),
            LastRun = runs.LastOrDefault(),
            LastStatisticsRun = judged.LastOrDefault(r => r.Statistics is { IsComplete: true }),
            OrphanLines = scanner.OrphanLines,
            LinesScanned = scanner.Lines,
        };
    }

    private static LogScanResult Nothing(LogScope scope) => Reading(scope, "");

    /// <summary>The one place these tests build options (how options are declared is changing: issue 16 item 2).</summary>
    private static LogOptions Options(params string[] args) => LogCheck.Options(Path, args);

    public static IEnumerable<TestCaseData> Cases()
    {
        TestCaseData Case(string name, LogScanResult reading, string[] args, ServiceState state, string summary, string perfData)
            => new TestCaseData(reading, args, state, summary, perfData).SetArgDisplayNames(name);

        yield return Case("a missing log", new LogScanResult { Path = Path, Missing = true }, [], ServiceState.Unknown,
            $"log file {Path} not found", "");
        yield return Case("a missing log with --missing-state ok", new LogScanResult { Path = Path, Missing = true }, ["--missing-state", "ok"], ServiceState.Ok,
            $"log file {Path} not found", "");
        yield return Case("last-run: the last backup succeeded", Reading(LogScope.LastRun, Success), [], ServiceState.Ok,
            "last backup succeeded (99 files, 99 new, 0 changed, 0 deleted, Errors 0)", "elapsed_time=0.36s;;;0 source_files=99;;;0 source_file_size=12025023B;;;0 new_files=99;;;0 deleted_files=0;;;0 changed_files=0;;;0 changed_file_size=0B;;;0 raw_delta_size=12004543B;;;0 destination_size_change=12033508B errors=0;;;0 log_age=9890s;;;0");
        yield return Case("last-run: the last run failed", Reading(LogScope.LastRun, Success + Started + DiskFull), [], ServiceState.Critical,
            "last run failed: the backup destination is full (No space left on device)", "log_age=7200s;;;0");
        yield return Case("last-run: a run that did not end", Reading(LogScope.LastRun, Started), [], ServiceState.Warning,
            "last run: the run did not finish (no Backup Statistics and no error: still running, or killed)", "log_age=7200s;;;0");
        yield return Case("last-run: --unfinished-state critical", Reading(LogScope.LastRun, Started), ["--unfinished-state", "critical"], ServiceState.Critical,
            "last run failed: the run did not finish (no Backup Statistics and no error: still running, or killed)", "log_age=7200s;;;0");
        yield return Case("all: one of two runs failed", Reading(LogScope.All, Success + Started + DiskFull), ["--scope", "all"], ServiceState.Critical,
            "log: 2 runs, 1 with problems: the backup destination is full (No space left on device)",
            "elapsed_time=0.36s;;;0 source_files=99;;;0 source_file_size=12025023B;;;0 new_files=99;;;0 deleted_files=0;;;0 changed_files=0;;;0 changed_file_size=0B;;;0 raw_delta_size=12004543B;;;0 destination_size_change=12033508B errors=0;;;0 log_age=7200s;;;0");
        yield return Case("new: the first check of an empty log", Nothing(LogScope.New) with { FirstRun = true }, ["--scope", "new"], ServiceState.Unknown,
            $"log {Path} is empty: no run yet", "log_age=7200s;;;0");
        yield return Case("new: nothing appended", Nothing(LogScope.New) with { NothingNew = true, Length = 100 }, ["--scope", "new"], ServiceState.Ok,
            "no new output since the last check (log written 2h ago)", "log_age=7200s;;;0");
        yield return Case("new: a line still being written", Nothing(LogScope.New) with { Length = 100 }, ["--scope", "new"], ServiceState.Ok,
            "no complete new line since the last check", "log_age=7200s;;;0");
        yield return Case("new: a wrapper's lines before the run", Reading(LogScope.New, "starting the job\nat 01:00\n") with { WaitingForRun = true }, ["--scope", "new"], ServiceState.Ok,
            "no new run since the last check (2 new lines, no duplicity line yet) (log written 2h ago)", "log_age=7200s;;;0");
        yield return Case("new: lines but no run", Reading(LogScope.New, "starting the job\nat 01:00\n"), ["--scope", "new"], ServiceState.Unknown,
            $"no duplicity run found in the new output of {Path} (2 lines, none recognised)", "log_age=7200s;;;0");
        yield return Case("all: lines but no run", Reading(LogScope.All, "starting the job\nat 01:00\n"), ["--scope", "all"], ServiceState.Unknown,
            $"no duplicity run found in {Path} (2 lines, none recognised)", "log_age=7200s;;;0");
        yield return Case("a last write older than --age-critical", Nothing(LogScope.New) with { NothingNew = true, Length = 100 }, ["--scope", "new", "--age-critical", "1h"], ServiceState.Critical,
            "last run is 2h old; no new output since the last check (log written 2h ago)", "log_age=7200s;;3600;0");
        yield return Case("a state file that was corrupt", Nothing(LogScope.New) with { NothingNew = true, Length = 100, StateProblem = "state file /var/lib/x.state was corrupt (bad line); rebuilt" }, ["--scope", "new"], ServiceState.Warning,
            "no new output since the last check (log written 2h ago)", "log_age=7200s;;;0");
        yield return Case("a log rewritten in place", Nothing(LogScope.New) with { NothingNew = true, Length = 100, Restarted = "the log was rewritten in place; read again from the start" }, ["--scope", "new"], ServiceState.Ok,
            "no new output since the last check (log written 2h ago) (the log was rewritten in place; read again from the start)", "log_age=7200s;;;0");
    }

    [TestCaseSource(nameof(Cases))]
    public void Evaluates(LogScanResult reading, string[] args, ServiceState state, string summary, string perfData)
    {
        var result = new LogEvaluator(Options(args), Now, new SecretMasker()).Evaluate(reading);

        result.State.Should().Be(state, result.Summary);
        result.Summary.Should().Be(summary);
        string.Join(' ', result.PerfData).Should().Be(perfData);
    }
}

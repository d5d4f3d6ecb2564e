using DuplicityChecks.Plugin.Options;
using DuplicityChecks.Checks.Log;
using DuplicityChecks.Checks.Tests.Options;
using DuplicityChecks.Duplicity.Jobs;
using DuplicityChecks.Duplicity.Logs;
using DuplicityChecks.Plugin;
using D = DuplicityChecks.Checks.Log.LogOptions.Declared;

namespace DuplicityChecks.Checks.Tests.Log;

/// <summary>Every option of check_duplicity_log, from its one declaration: command line, job key, default, none/off, a bad value.</summary>
public class LogOptionsTests : OptionTableTests<LogOptions, LogOptionsTests>, IOptionTable<LogOptions>
{
    private const string LogFile = "/var/log/duplicity/assets.log";

    public static LogOptions From(OptionValues values) => LogOptions.From(values);

    private static ThresholdRange Above(double seconds) => new(0, seconds, false);

    private static object? Verdict(LogOptions o) => o.Patterns.Match("fatal slow noise");

    public static IReadOnlyList<OptionRow<LogOptions>> Rows { get; } =
    [
        new(D.Job, "assets", o => o.JobName, "assets", null),
        new(D.Scope, "new", o => o.Scope, LogScope.New, LogScope.LastRun, "first", "--scope: 'first' is not one of last-run, new, all"),
        new(D.StateFilePath, "/var/tmp/log.state", o => o.StateFilePath, "/var/tmp/log.state", StateFile.PathFor("log", LogFile)),
        new(D.AgeWarning, "26h", o => o.Age.Warning, Above(93600), null, "x", "--age-warning: 'x' is not a range ([@][start:][end])"),
        new(D.AgeCritical, "2d", o => o.Age.Critical, Above(172800), null, "2:1", "--age-critical: '2:1': start is greater than end"),
        new(D.MissingState, "critical", o => o.MissingState, ServiceState.Critical, ServiceState.Unknown, "bad", "--missing-state: 'bad' is not one of ok, warning, critical, unknown"),
        new(D.UnfinishedState, "ok", o => o.UnfinishedState, ServiceState.Ok, ServiceState.Warning, "unknown", "--unfinished-state: 'unknown' is not one of ok, warning, critical"),
        new(D.LogCritical, "fatal", Verdict, JobPatternVerdict.Critical, JobPatternVerdict.None, "(", "log_critical: '(' is not a valid regular expression: *", NoneIsAValue: true),
        new(D.LogWarning, "slow", Verdict, JobPatternVerdict.Warning, JobPatternVerdict.None, "[", "log_warning: '[' is not a valid regular expression: *", NoneIsAValue: true),
        new(D.LogIgnore, "noise", Verdict, JobPatternVerdict.Ignore, JobPatternVerdict.None, "(", "log_ignore: '(' is not a valid regular expression: *", NoneIsAValue: true),
        new(D.Destination, "rsync://u@h:/srv/b", o => o.Destination, "rsync://u@h:/srv/b", null, "--version", "--destination: '--version' begins with '-'*", NoneIsAValue: true),
        new(D.ArchiveDir, "/var/cache/duplicity", o => o.ArchiveDir, "/var/cache/duplicity", null),
        new(D.BackupName, "assets", o => o.BackupName, "assets", null),
        new(D.User, "backup", o => o.User, "backup", null),
        new(D.Script, "/usr/local/bin/backup", o => o.Script, "/usr/local/bin/backup", null),
    ];

    public static IReadOnlyList<OptionSpec> Specs => LogOptions.Specs;

    /// <summary>--logfile is required; it has no default, so its own tests are below the table.</summary>
    public static IReadOnlyList<string> Required => ["-l", LogFile];

    public static IReadOnlyList<string> WithoutRow => ["logfile", "config"];

    [Test]
    public void The_log_comes_from_the_command_line_else_the_job_s_log_key()
    {
        var job = new JobConfig("t", "/etc/duplicity-checks.ini", new Dictionary<string, string> { ["log"] = "/var/log/job.log" });
        LogOptions.From(CommandLine.Parse(["-l", "/var/log/cli.log"], LogOptions.Specs), job).LogFile.Should().Be("/var/log/cli.log");
        LogOptions.From(CommandLine.Parse(["--logfile", ""], LogOptions.Specs), job).LogFile.Should().Be("/var/log/job.log");
    }

    [Test]
    public void The_log_is_required()
        => FluentActions.Invoking(() => LogOptions.From(CommandLine.Parse([], LogOptions.Specs)))
            .Should().Throw<UsageException>().WithMessage("--logfile FILE is required (or a job with log = FILE)");

    [Test]
    public void Every_value_of_a_repeated_pattern_counts_and_the_command_line_replaces_the_job_s()
    {
        var o = Read(["--log-critical", "fatal", "--log-critical", "panic"], new Dictionary<string, string> { ["log_critical"] = "noise" });
        o.Patterns.Match("fatal").Should().Be(JobPatternVerdict.Critical);
        o.Patterns.Match("panic").Should().Be(JobPatternVerdict.Critical);
        o.Patterns.Match("noise").Should().Be(JobPatternVerdict.None);
    }

    [Test]
    public void A_bad_destination_is_reported_before_a_bad_pattern_as_it_always_was()
        => FluentActions.Invoking(() => Read(["--log-critical", "(", "-d", "-x"], null)).Should().Throw<UsageException>().WithMessage("--destination: *");
}

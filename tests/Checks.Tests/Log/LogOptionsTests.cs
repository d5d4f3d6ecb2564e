using DuplicityChecks.Checks.Log;
using DuplicityChecks.Checks.Tests.Options;
using DuplicityChecks.Duplicity.Jobs;
using DuplicityChecks.Duplicity.Logs;
using DuplicityChecks.Plugin;
using DuplicityChecks.Plugin.Options;

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
        new(LogOptions.Declared.Job, "assets", o => o.JobName, "assets", null),
        new(LogOptions.Declared.Scope, "new", o => o.Scope, LogScope.New, LogScope.LastRun, "first", "--scope: 'first' is not one of last-run, new, all"),
        new(LogOptions.Declared.StateFilePath, "/var/tmp/log.state", o => o.StateFilePath, "/var/tmp/log.state", StateFile.PathFor("log", LogFile)),
        new(LogOptions.Declared.AgeWarning, "26h", o => o.Age.Warning, Above(93600), null, "x", "--age-warning: 'x' is not a range ([@][start:][end])"),
        new(LogOptions.Declared.AgeCritical, "2d", o => o.Age.Critical, Above(172800), null, "2:1", "--age-critical: '2:1': start is greater than end"),
        new(LogOptions.Declared.MissingState, "critical", o => o.MissingState, ServiceState.Critical, ServiceState.Unknown, "bad", "--missing-state: 'bad' is not one of ok, warning, critical, unknown"),
        new(LogOptions.Declared.UnfinishedState, "ok", o => o.UnfinishedState, ServiceState.Ok, ServiceState.Warning, "unknown", "--unfinished-state: 'unknown' is not one of ok, warning, critical"),
        new(LogOptions.Declared.LogCritical, "fatal", Verdict, JobPatternVerdict.Critical, JobPatternVerdict.None, "(", "log_critical: '(' is not a valid regular expression: *", NoneIsAValue: true),
        new(LogOptions.Declared.LogWarning, "slow", Verdict, JobPatternVerdict.Warning, JobPatternVerdict.None, "[", "log_warning: '[' is not a valid regular expression: *", NoneIsAValue: true),
        new(LogOptions.Declared.LogIgnore, "noise", Verdict, JobPatternVerdict.Ignore, JobPatternVerdict.None, "(", "log_ignore: '(' is not a valid regular expression: *", NoneIsAValue: true),
        new(LogOptions.Declared.Destination, "rsync://u@h:/srv/b", o => o.Destination, "rsync://u@h:/srv/b", null, "--version", "--destination: '--version' begins with '-'*", NoneIsAValue: true),
        new(LogOptions.Declared.ArchiveDir, "/var/cache/duplicity", o => o.ArchiveDir, "/var/cache/duplicity", null),
        new(LogOptions.Declared.BackupName, "assets", o => o.BackupName, "assets", null),
        new(LogOptions.Declared.User, "backup", o => o.User, "backup", null),
        new(LogOptions.Declared.Script, "/usr/local/bin/backup", o => o.Script, "/usr/local/bin/backup", null),
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

using System.Text.RegularExpressions;
using DuplicityChecks.CheckOptions;
using DuplicityChecks.Duplicity.Jobs;
using DuplicityChecks.Duplicity.Logs;
using DuplicityChecks.Plugin;
using DuplicityChecks.Plugin.Options;

namespace DuplicityChecks.Checks.Log;

/// <summary>Which part of the log is judged.</summary>
public enum LogScope
{
    /// <summary>The most recent run only (a later successful run clears an earlier failure).</summary>
    LastRun,
    /// <summary>Only what was appended since the previous check (state file).</summary>
    New,
    /// <summary>Every run in the file.</summary>
    All,
}

/// <summary>
/// The options of check_duplicity_log, merged with the job's INI section (<c>-j NAME</c>): a command-line option
/// wins over the job's value. Each option's job key is in its declaration (<see cref="Declared"/>).
/// </summary>
public sealed record LogOptions : BackupOptions
{
    /// <summary>Each option of the check, declared once: tokenizer, job merge and --help read these.</summary>
    public static class Declared
    {

        public static readonly Option<string?> LogFile = new("logfile", 'l', "FILE", "The job's log: cron output, a wrapper's log, or duplicity's --log-file machine log (detected per run); it may hold many runs, of any size, but no line longer than 1 MiB", OptionParsers.Text) { JobKey = "log" };
        public static readonly Option<string?> Job = SharedOptions.Job with { Help = "Read the job's settings from the [job:NAME] section of the config file; options given here win" };
        public static readonly Option<string?> Config = SharedOptions.Config with { Help = "Job config file (INI, at most 1 MiB)" };
        public static readonly Option<LogScope> Scope = new Option<LogScope>("scope", null, "SCOPE", "What to judge: last-run (the most recent run; a later success clears an earlier failure), new (only what was appended since the previous check; needs the state file), all (every run in the file)",
            OptionParsers.Choice(new Dictionary<string, LogScope> { ["last-run"] = LogScope.LastRun, ["new"] = LogScope.New, ["all"] = LogScope.All }, "one of last-run, new, all"))
        { JobKey = "log_scope" }
            .WithDefault("last-run");
        /// <summary>No typed default: it derives from the log's path (<see cref="StateFile.PathFor"/>).</summary>
        public static readonly Option<string?> StateFilePath = new Option<string?>("state-file", null, "FILE", "Where --scope new keeps its position (device, inode, offset, fingerprint)", OptionParsers.Text) { JobKey = "log_state_file" }
            .WithDefault(null, StateFile.DefaultDirectory + "/log-<hash of the log path>.state");
        public static readonly Option<ThresholdRange?> AgeWarning = ThresholdOption.Of("age-warning", null, "DURATION", "WARNING when the last run is older than DURATION (its statistics EndTime, else the log's mtime)", RangeUnits.Duration, "log_age_warning")
            .WithDefault("off");
        public static readonly Option<ThresholdRange?> AgeCritical = ThresholdOption.Of("age-critical", null, "DURATION", "CRITICAL when the last run is older than DURATION", RangeUnits.Duration, "log_age_critical")
            .WithDefault("off");
        public static readonly Option<ServiceState> MissingState = new Option<ServiceState>("missing-state", null, "STATE", "State when the log file does not exist (ok|warning|critical|unknown)",
            OptionParsers.State([ServiceState.Ok, ServiceState.Warning, ServiceState.Critical, ServiceState.Unknown], "one of ok, warning, critical, unknown"))
        { JobKey = "log_missing_state" }
            .WithDefault("unknown");
        public static readonly Option<ServiceState> UnfinishedState = new Option<ServiceState>("unfinished-state", null, "STATE", "State when a run has no result: killed, or still running (ok|warning|critical); --scope new reports a last run still being written as in progress (OK) until it ends or the next run starts",
            OptionParsers.State([ServiceState.Ok, ServiceState.Warning, ServiceState.Critical], "one of ok, warning, critical"))
        { JobKey = "log_unfinished_state" }
            .WithDefault("warning");
        public static readonly Option<Regex?> LogCritical = Pattern("log-critical", "CRITICAL when a line matches (repeatable; the job's log_critical)", "log_critical");
        public static readonly Option<Regex?> LogWarning = Pattern("log-warning", "WARNING when a line matches (repeatable; the job's log_warning)", "log_warning");
        public static readonly Option<Regex?> LogIgnore = Pattern("log-ignore", "Ignore matching lines entirely (repeatable; the job's log_ignore)", "log_ignore");
        public static readonly Option<string?> Destination = SharedOptions.Destination with { Help = "Backup target URL, for the commands in hints" };
        public static readonly Option<string?> ArchiveDir = SharedOptions.ArchiveDir with { Help = "duplicity's archive dir, for the commands in hints" };
        public static readonly Option<string?> BackupName = SharedOptions.BackupName with { Help = "duplicity --name of the backup, for the commands in hints" };
        public static readonly Option<string?> User = SharedOptions.User with { Help = "Who runs the backup, for the commands in hints (sudo -iu USER ...)" };
        public static readonly Option<string?> Script = SharedOptions.Script with { Help = "The job's backup script, for the commands in hints" };

        /// <summary>A job pattern: repeatable, and named by its job key in a usage error (as it always was).</summary>
        private static Option<Regex?> Pattern(string name, string help, string jobKey)
            => new(name, null, "REGEX", help, DuplicityParsers.JobPattern(jobKey)) { JobKey = jobKey, Repeatable = true };
    }

    public static readonly IReadOnlyList<OptionSpec> Specs =
    [
        Declared.LogFile, Declared.Job, Declared.Config, Declared.Scope, Declared.StateFilePath, Declared.AgeWarning, Declared.AgeCritical,
        Declared.MissingState, Declared.UnfinishedState, Declared.LogCritical, Declared.LogWarning, Declared.LogIgnore,
        Declared.Destination, Declared.ArchiveDir, Declared.BackupName, Declared.User, Declared.Script,
    ];

    public required string LogFile { get; init; }
    public LogScope Scope { get; init; }
    public required string StateFilePath { get; init; }
    public required Threshold Age { get; init; }
    public ServiceState MissingState { get; init; } = ServiceState.Unknown;
    public ServiceState UnfinishedState { get; init; } = ServiceState.Warning;
    /// <summary>The job's own patterns (log_critical, log_warning, log_ignore), compiled.</summary>
    public JobPatterns Patterns { get; init; } = JobPatterns.None;

    public static LogOptions From(ParsedOptions o) => FromCommandLine(o, null);

    /// <summary>Reads the job named by --job (when given, learning its secrets) and merges the options over it.</summary>
    public static LogOptions FromCommandLine(ParsedOptions o, SecretMasker? secrets) => From(JobOptions.Read(o, secrets));

    /// <summary>Merges the options with a job already read (options win).</summary>
    public static LogOptions From(ParsedOptions o, JobConfig? job) => From(JobOptions.Over(o, job));

    private LogOptions(OptionValues values) : base(values) { }

    public static LogOptions From(OptionValues v)
    {
        var log = v.Get(Declared.LogFile) ?? throw new UsageException("--logfile FILE is required (or a job with log = FILE)");
        var full = Path.GetFullPath(log);
        // In the order their errors have always come: these, then the shared ones (the destination), then the patterns.
        var scope = v.Get(Declared.Scope);
        var stateFile = v.Get(Declared.StateFilePath) ?? StateFile.PathFor("log", full);
        var age = new Threshold(v.Get(Declared.AgeWarning), v.Get(Declared.AgeCritical));
        var missing = v.Get(Declared.MissingState);
        var unfinished = v.Get(Declared.UnfinishedState);
        return new LogOptions(v)
        {
            LogFile = full,
            Scope = scope,
            StateFilePath = stateFile,
            Age = age,
            MissingState = missing,
            UnfinishedState = unfinished,
            // Compiled now, still before any file is read: a bad pattern is a usage error.
            Patterns = new JobPatterns(v.GetAll(Declared.LogCritical)!, v.GetAll(Declared.LogWarning)!, v.GetAll(Declared.LogIgnore)!),
        };
    }
}

using DuplicityChecks.Duplicity.Jobs;
using DuplicityChecks.Duplicity.Logs;
using DuplicityChecks.Plugin;

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
/// wins over the job's value. Job keys: <c>log</c>, <c>destination</c>, <c>archive_dir</c>, <c>name</c>,
/// <c>user</c>, <c>script</c>, <c>log_critical</c>, <c>log_warning</c>, <c>log_ignore</c>, <c>log_scope</c>,
/// <c>log_age_warning</c>, <c>log_age_critical</c>, <c>log_state_file</c>.
/// </summary>
public sealed record LogOptions
{
    public static readonly IReadOnlyList<OptionSpec> Specs =
    [
        new("logfile", 'l', "FILE", "The job's log: cron output, a wrapper's log, or duplicity's --log-file machine log (detected per run); it may hold many runs, of any size, but no line longer than 1 MiB"),
        new("job", 'j', "NAME", "Read the job's settings from the [job:NAME] section of the config file; options given here win"),
        new("config", null, "FILE", "Job config file (INI, at most 1 MiB)", JobConfigReader.DefaultPath),
        new("scope", null, "SCOPE", "What to judge: last-run (the most recent run; a later success clears an earlier failure), new (only what was appended since the previous check; needs the state file), all (every run in the file)", "last-run"),
        new("state-file", null, "FILE", "Where --scope new keeps its position (device, inode, offset, fingerprint)", StateFile.DefaultDirectory + "/log-<hash of the log path>.state"),
        new("age-warning", null, "DURATION", "WARNING when the last run is older than DURATION (its statistics EndTime, else the log's mtime)", "off"),
        new("age-critical", null, "DURATION", "CRITICAL when the last run is older than DURATION", "off"),
        new("missing-state", null, "STATE", "State when the log file does not exist (ok|warning|critical|unknown)", "unknown"),
        new("unfinished-state", null, "STATE", "State when a run has no result: killed, or still running (ok|warning|critical); --scope new reports a last run still being written as in progress (OK) until it ends or the next run starts", "warning"),
        new("log-critical", null, "REGEX", "CRITICAL when a line matches (repeatable; the job's log_critical)", Repeatable: true),
        new("log-warning", null, "REGEX", "WARNING when a line matches (repeatable; the job's log_warning)", Repeatable: true),
        new("log-ignore", null, "REGEX", "Ignore matching lines entirely (repeatable; the job's log_ignore)", Repeatable: true),
        new("destination", 'd', "URL", "Backup target URL, for the commands in hints"),
        new("archive-dir", 'A', "DIR", "duplicity's archive dir, for the commands in hints"),
        new("name", 'N', "NAME", "duplicity --name of the backup, for the commands in hints"),
        new("user", 'u', "USER", "Who runs the backup, for the commands in hints (sudo -iu USER ...)"),
        new("script", null, "PATH", "The job's backup script, for the commands in hints"),
    ];

    public string? JobName { get; init; }
    public required string LogFile { get; init; }
    public LogScope Scope { get; init; }
    public required string StateFilePath { get; init; }
    public required Threshold Age { get; init; }
    public ServiceState MissingState { get; init; } = ServiceState.Unknown;
    public ServiceState UnfinishedState { get; init; } = ServiceState.Warning;
    public IReadOnlyList<string> CriticalPatterns { get; init; } = [];
    public IReadOnlyList<string> WarningPatterns { get; init; } = [];
    public IReadOnlyList<string> IgnorePatterns { get; init; } = [];
    public string? Destination { get; init; }
    public string? ArchiveDir { get; init; }
    public string? BackupName { get; init; }
    public string? User { get; init; }
    public string? Script { get; init; }

    public FixCommands Fixes => new(User, Destination, ArchiveDir, BackupName, Script);

    public JobPatterns Patterns => new(CriticalPatterns, WarningPatterns, IgnorePatterns);

    public static LogOptions From(ParsedOptions o) => FromCommandLine(o, null);

    /// <summary>Reads the job named by --job (when given, learning its secrets) and merges the options over it.</summary>
    public static LogOptions FromCommandLine(ParsedOptions o, SecretMasker? secrets)
    {
        var jobName = o.Get("job");
        var job = jobName is null ? null : JobConfigReader.Load(o.Get("config") ?? JobConfigReader.DefaultPath, jobName, secrets);
        return From(o, job);
    }

    /// <summary>Merges the options with a job already read (options win).</summary>
    public static LogOptions From(ParsedOptions o, JobConfig? job)
    {
        string? Pick(string option, string key) => o.Get(option) is { Length: > 0 } v ? v : job?.Get(key);
        IReadOnlyList<string> Patterns(string option, string key)
            => o.GetAll(option) is { Count: > 0 } all ? all : job?.Get(key) is { } v ? [v] : [];

        var log = Pick("logfile", "log") ?? throw new UsageException("--logfile FILE is required (or a job with log = FILE)");
        var full = Path.GetFullPath(log);
        var scopeText = Pick("scope", "log_scope") ?? "last-run";
        var scope = scopeText switch
        {
            "last-run" => LogScope.LastRun,
            "new" => LogScope.New,
            "all" => LogScope.All,
            _ => throw new UsageException($"--scope: '{scopeText}' is not one of last-run, new, all"),
        };
        var options = new LogOptions
        {
            JobName = o.Get("job"),
            LogFile = full,
            Scope = scope,
            StateFilePath = Pick("state-file", "log_state_file") ?? StateFile.PathFor("log", full),
            Age = Threshold.Parse(Off(Pick("age-warning", "log_age_warning")), Off(Pick("age-critical", "log_age_critical")), RangeUnits.Duration, "--age-warning", "--age-critical"),
            MissingState = State(Pick("missing-state", "log_missing_state"), ServiceState.Unknown, "--missing-state", allowUnknown: true),
            UnfinishedState = State(Pick("unfinished-state", "log_unfinished_state"), ServiceState.Warning, "--unfinished-state", allowUnknown: false),
            CriticalPatterns = Patterns("log-critical", "log_critical"),
            WarningPatterns = Patterns("log-warning", "log_warning"),
            IgnorePatterns = Patterns("log-ignore", "log_ignore"),
            Destination = DestinationUrl.Pick(o.Get("destination"), job?.Destination, job?.Name),
            ArchiveDir = Pick("archive-dir", "archive_dir"),
            BackupName = Pick("name", "name"),
            User = Pick("user", "user"),
            Script = Pick("script", "script"),
        };
        _ = options.Patterns; // compile now: a bad pattern is a usage error, before any file is read
        return options;
    }

    /// <summary>"off" (or nothing) means no threshold; a bare duration means "older than".</summary>
    private static string? Off(string? text) => text is null or "off" or "" ? null : text;

    private static ServiceState State(string? text, ServiceState fallback, string option, bool allowUnknown)
    {
        if (text is null) return fallback;
        return ServiceStates.TryParse(text, out var s) && (allowUnknown || s != ServiceState.Unknown) ? s
            : throw new UsageException($"{option}: '{text}' is not one of ok, warning, critical{(allowUnknown ? ", unknown" : "")}");
    }
}

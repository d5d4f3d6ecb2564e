using System.Text.RegularExpressions;
using DuplicityChecks.CheckOptions;
using DuplicityChecks.Duplicity.Jobs;
using DuplicityChecks.Duplicity.Processes;
using DuplicityChecks.Plugin;
using DuplicityChecks.Plugin.Options;

namespace DuplicityChecks.Checks.Running;

/// <summary>What check_duplicity_running expects: running, stopped, or either (the default).</summary>
public enum ExpectMode
{
    Any,
    Running,
    Stopped,
}

/// <summary>
/// The settings of check_duplicity_running, from its options merged over a job's values: which processes
/// count (the filter), where the table comes from, the thresholds and the state of a terminal prompt.
/// </summary>
public sealed record RunningOptions
{
    /// <summary>Each option of the check, declared once: tokenizer, job merge and --help read these.</summary>
    public static class Declared
    {

        public static readonly Option<string?> Job = SharedOptions.Job with { Help = "Check the job [job:NAME] of the --config file (its destination, archive_dir, name and user); options given here override it" };
        public static readonly Option<string?> Config = SharedOptions.Config with { Help = "The job file (INI, at most 1 MiB)" };
        public static readonly Option<string?> Destination = SharedOptions.Destination with { Help = "Count only duplicity runs with this target URL (compared without password and trailing slash)" };
        public static readonly Option<string?> ArchiveDir = SharedOptions.ArchiveDir with { Help = "Count only runs using this --archive-dir (runs without one use ~/.cache/duplicity of their user); also the lockfile's place" };
        public static readonly Option<string?> BackupName = SharedOptions.BackupName with { Help = "Count only runs with this backup name (--name, or md5 of the URL as duplicity does)" };
        public static readonly Option<string?> User = SharedOptions.User with { Help = "Count only runs of this user (a name, or a uid)" };
        /// <summary>Untrusted input: a match timeout bounds catastrophic backtracking.</summary>
        public static readonly Option<Regex?> Match = new("match", 'm', "REGEX", "Count only runs whose command line (as ps shows it) matches this .NET regular expression", OptionParsers.Regex(TimeSpan.FromMilliseconds(250)));
        public static readonly Option<string?> ProcRoot = SharedOptions.ProcRoot with { Help = "Read the process table from DIR laid out like /proc (replays a capture)" };
        public static readonly Option<string?> PsFile = new("ps-file", null, "FILE", "Read the process table from a capture of 'ps -eo pid,ppid,user,lstart,etimes,args' (lstart in the local zone, TZ) instead of /proc (at most 2 MiB and 200,000 arguments); locks then come from --proc-root when it is given", OptionParsers.Text);
        public static readonly Option<ServiceState> WaitingState = new Option<ServiceState>("waiting-state", null, "STATE", "State when a run waits for terminal input (a GPG passphrase prompt): ok, warning, critical or unknown",
            OptionParsers.State([ServiceState.Ok, ServiceState.Warning, ServiceState.Critical, ServiceState.Unknown], "a state (ok, warning, critical, unknown)"))
            .WithDefault("warning");
        public static readonly Option<ThresholdRange?> Warning = ThresholdOption.Of("warning", 'w', "RANGE", "Warning range for the elapsed time of the oldest run (durations: 90s, 15m, 12h, 2d)", RangeUnits.Duration)
            .WithDefault("12h");
        public static readonly Option<ThresholdRange?> Critical = ThresholdOption.Of("critical", 'c', "RANGE", "Critical range for the elapsed time of the oldest run", RangeUnits.Duration)
            .WithDefault("24h");
        public static readonly Option<ThresholdRange?> CountWarning = ThresholdOption.Of("count-warning", null, "RANGE", "Warning range for the number of runs (0:1: two at once is a warning)", RangeUnits.Plain)
            .WithDefault("0:1");
        public static readonly Option<ThresholdRange?> CountCritical = ThresholdOption.Of("count-critical", null, "RANGE", "Critical range for the number of runs", RangeUnits.Plain);
        public static readonly Option<ExpectMode> Expect = new Option<ExpectMode>("expect", null, "MODE", "running: none running is CRITICAL (backup windows); stopped: one running is CRITICAL; any",
            OptionParsers.Choice(new Dictionary<string, ExpectMode> { ["any"] = ExpectMode.Any, ["running"] = ExpectMode.Running, ["stopped"] = ExpectMode.Stopped }, "running, stopped or any", ignoreCase: true))
            .WithDefault("any");
    }

    public static IReadOnlyList<OptionSpec> Specs { get; } =
    [
        Declared.Job, Declared.Config, Declared.Destination, Declared.ArchiveDir, Declared.BackupName, Declared.User, Declared.Match,
        Declared.ProcRoot, Declared.PsFile, Declared.WaitingState, Declared.Warning, Declared.Critical, Declared.CountWarning,
        Declared.CountCritical, Declared.Expect,
    ];

    public string? JobName { get; init; }

    public ProcessFilter Filter { get; init; } = ProcessFilter.All;

    public string ProcRoot { get; init; } = "/proc";

    /// <summary>True when --proc-root was given (with --ps-file: where the capture's lock table is).</summary>
    public bool ProcRootGiven { get; init; }

    public string? PsFile { get; init; }

    public ServiceState WaitingState { get; init; } = ServiceState.Warning;

    public Threshold Elapsed { get; init; } = Threshold.None;

    public Threshold Count { get; init; } = Threshold.None;

    public ExpectMode Expect { get; init; } = ExpectMode.Any;

    /// <summary>Reads the job named by --job (when given, learning its secrets) and merges the options over it.</summary>
    public static RunningOptions FromCommandLine(ParsedOptions o, SecretMasker? secrets) => From(JobOptions.Read(o, secrets));

    /// <summary>Merges the options with a job already read, or none (options win).</summary>
    public static RunningOptions From(ParsedOptions o, JobConfig? job = null) => From(JobOptions.Over(o, job));

    public static RunningOptions From(OptionValues v)
    {
        var match = v.Get(Declared.Match); // judged first, as it always was: its error wins over the others'
        return new RunningOptions
        {
            JobName = v.Get(Declared.Job),
            Filter = new ProcessFilter(v.Get(Declared.Destination), v.Get(Declared.ArchiveDir), v.Get(Declared.BackupName), v.Get(Declared.User), match),
            ProcRoot = v.Get(Declared.ProcRoot)!,
            ProcRootGiven = v.Given(Declared.ProcRoot),
            PsFile = v.Get(Declared.PsFile),
            WaitingState = v.Get(Declared.WaitingState),
            Elapsed = new Threshold(v.Get(Declared.Warning), v.Get(Declared.Critical)),
            Count = new Threshold(v.Get(Declared.CountWarning), v.Get(Declared.CountCritical)),
            Expect = v.Get(Declared.Expect),
        };
    }

    /// <summary>
    /// The process table these settings point at, and the filter for it: for /proc, a --user name is resolved to its
    /// uid through the user database (<see cref="UserDirectory"/>).
    /// </summary>
    /// <exception cref="CheckException">A --user name that the user database does not hold, or could not be asked
    /// about, for the /proc table.</exception>
    public (IProcessSource Source, ProcessFilter Filter) Open(DateTimeOffset now, UserDirectory? users = null)
    {
        if (PsFile is { } ps) return (PsProcessSource.Read(ps, locksRoot: ProcRootGiven ? ProcRoot : null), Filter); // ps named the users
        users ??= new UserDirectory();
        var filter = Filter;
        if (Filter.User is { } user && !user.All(char.IsAsciiDigit))
        {
            // /proc gives uids. A name the user database does not hold (a typo; in a static build, a directory
            // service's user) would match no process, and "no duplicity process" would be a false OK for a backup
            // that may well be running.
            var uid = users.UidOf(user) ?? throw new CheckException($"--user {user}: no such user in {users.Source}");
            filter = Filter with { UserId = uid };
        }
        return (new ProcProcessSource(ProcRoot, now, users), filter);
    }
}

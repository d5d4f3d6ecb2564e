using System.Text.RegularExpressions;
using DuplicityChecks.Duplicity.Jobs;
using DuplicityChecks.Duplicity.Processes;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Checks.Running;

/// <summary>What check_duplicity_running expects: running, stopped, or either (the default).</summary>
public enum ExpectMode
{
    Any,
    Running,
    Stopped,
}

/// <summary>The values a job of the INI file gives (<c>[job:NAME]</c>); command-line options override them.</summary>
public sealed record JobValues(string Name, string? Destination = null, string? ArchiveDir = null, string? BackupName = null, string? User = null);

/// <summary>
/// The settings of check_duplicity_running, from its options merged over a job's values: which processes
/// count (the filter), where the table comes from, the thresholds and the state of a terminal prompt.
/// </summary>
public sealed record RunningOptions
{
    public const string DefaultWarning = "12h";
    public const string DefaultCritical = "24h";
    public const string DefaultCountWarning = "0:1";

    public static IReadOnlyList<OptionSpec> Specs { get; } =
    [
        new("job", 'j', "NAME", "Check the job [job:NAME] of the --config file (its destination, archive_dir, name and user); options given here override it"),
        new("config", null, "FILE", "The job file (INI, at most 1 MiB)", Default: "/etc/duplicity-checks.ini"),
        new("destination", 'd', "URL", "Count only duplicity runs with this target URL (compared without password and trailing slash)"),
        new("archive-dir", 'A', "DIR", "Count only runs using this --archive-dir (runs without one use ~/.cache/duplicity of their user); also the lockfile's place"),
        new("name", 'N', "NAME", "Count only runs with this backup name (--name, or md5 of the URL as duplicity does)"),
        new("user", 'u', "USER", "Count only runs of this user (a name, or a uid)"),
        new("match", 'm', "REGEX", "Count only runs whose command line (as ps shows it) matches this .NET regular expression"),
        new("proc-root", null, "DIR", "Read the process table from DIR laid out like /proc (replays a capture)", Default: "/proc"),
        new("ps-file", null, "FILE", "Read the process table from a capture of 'ps -eo pid,ppid,user,lstart,etimes,args' (lstart in the local zone, TZ) instead of /proc (at most 2 MiB and 200,000 arguments); locks then come from --proc-root when it is given"),
        new("waiting-state", null, "STATE", "State when a run waits for terminal input (a GPG passphrase prompt): ok, warning, critical or unknown", Default: "warning"),
        new("warning", 'w', "RANGE", "Warning range for the elapsed time of the oldest run (durations: 90s, 15m, 12h, 2d)", Default: DefaultWarning),
        new("critical", 'c', "RANGE", "Critical range for the elapsed time of the oldest run", Default: DefaultCritical),
        new("count-warning", null, "RANGE", "Warning range for the number of runs (0:1: two at once is a warning)", Default: DefaultCountWarning),
        new("count-critical", null, "RANGE", "Critical range for the number of runs"),
        new("expect", null, "MODE", "running: none running is CRITICAL (backup windows); stopped: one running is CRITICAL; any", Default: "any"),
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

    /// <summary>Builds the settings; <paramref name="job"/> is the job named by --job, already read from --config.</summary>
    public static RunningOptions From(ParsedOptions o, JobValues? job = null)
    {
        if (o.Get("job") is { } jobName && job is null)
            throw new InvalidOperationException($"--job {jobName}: the caller must read the job file first");
        var pattern = o.Get("match");
        Regex? match = null;
        if (pattern is not null)
        {
            try
            {
                // Untrusted input: a match timeout bounds catastrophic backtracking.
                match = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(250));
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"--match: '{pattern}' is not a valid regular expression: {e.Message}");
            }
        }
        var filter = new ProcessFilter(
            DestinationUrl.Pick(o.Get("destination"), job?.Destination, job?.Name),
            NonEmpty(o.Get("archive-dir")) ?? job?.ArchiveDir,
            NonEmpty(o.Get("name")) ?? job?.BackupName,
            NonEmpty(o.Get("user")) ?? job?.User,
            match);
        return new RunningOptions
        {
            JobName = job?.Name,
            Filter = filter,
            ProcRoot = o.Get("proc-root") ?? "/proc",
            ProcRootGiven = o.Get("proc-root") is not null,
            PsFile = o.Get("ps-file"),
            WaitingState = o.GetState("waiting-state", ServiceState.Warning),
            Elapsed = Threshold.Parse(o.Get("warning") ?? DefaultWarning, o.Get("critical") ?? DefaultCritical, RangeUnits.Duration, "--warning", "--critical"),
            Count = Threshold.Parse(o.Get("count-warning") ?? DefaultCountWarning, o.Get("count-critical"), RangeUnits.Plain, "--count-warning", "--count-critical"),
            Expect = (o.Get("expect") ?? "any").ToLowerInvariant() switch
            {
                "any" => ExpectMode.Any,
                "running" => ExpectMode.Running,
                "stopped" => ExpectMode.Stopped,
                var other => throw new UsageException($"--expect: '{other}' is not running, stopped or any"),
            },
        };
    }

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

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

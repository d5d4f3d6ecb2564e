using DuplicityChecks.Duplicity.CollectionStatus;
using DuplicityChecks.Duplicity.Jobs;
using DuplicityChecks.Duplicity.Live;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Checks.Freshness;

/// <summary>The options of check_duplicity_freshness, merged with the job's INI section (options win).</summary>
public sealed record FreshnessOptions
{
    public static readonly IReadOnlyList<OptionSpec> Specs =
    [
        new("job", 'j', "NAME", "Read the job's settings from the [job:NAME] section of the config file"),
        new("config", null, "FILE", "Job config file (INI, at most 1 MiB)", JobConfigReader.DefaultPath),
        new("destination", 'd', "URL", "Backup target URL exactly as the job gives it to duplicity; with no archive dir, a live 'duplicity collection-status' is run against it"),
        new("archive-dir", 'A', "DIR", "duplicity's archive dir (cache) to read offline; with no --name and no --destination every backup in it is checked (at most 30,000 manifests a backup)"),
        new("name", 'N', "NAME", "duplicity --name of the backup (default: md5 of the destination URL)"),
        new("status-file", 's', "FILE", "Read a saved collection-status (text or --log-fd/--log-file machine form, auto-detected; at most 16 MiB, lines up to 64 KiB)"),
        new("timezone", null, "TZ", "Zone of the dates in a human collection-status text", "the machine's zone"),
        new("warning", 'w', "RANGE", "WARNING range for the age of the last complete backup (durations: 26h, 2d, 1w)", "26h"),
        new("critical", 'c', "RANGE", "CRITICAL range for the age of the last complete backup", "50h"),
        new("full-warning", null, "RANGE", "WARNING range for the age of the last full backup", "none"),
        new("full-critical", null, "RANGE", "CRITICAL range for the age of the last full backup", "none"),
        new("incomplete-state", null, "STATE", "State when incomplete backup sets are found and no backup is running (ok|warning|critical)", "warning"),
        new("orphaned-state", null, "STATE", "State when orphaned backup sets are found (ok|warning|critical)", "warning"),
        new("running-grace", null, "DURATION", "While a backup younger than DURATION is running, a CRITICAL age becomes WARNING", "off"),
        new("duplicity", null, "PATH", "duplicity executable for live runs", CollectionStatusInvocation.DefaultDuplicity),
        new("sudo-user", null, "USER", "Run duplicity as USER through 'sudo -n -u USER' (never waits for a password)"),
        new("user", 'u', "USER", "Who runs the backup, for the commands in hints"),
        new("proc-root", null, "DIR", "Where /proc is (for the lock holder); for tests and captures", "/proc"),
        new("listing-cache", null, "DIR", "Where each archive-dir folder's listing is kept until the folder changes, so an unchanged cache is not listed again ('off': list every run; not used when DIR is missing; only read when DIR belongs to another user)", StateFile.DefaultDirectory),
    ];

    public string? JobName { get; init; }
    public string? Destination { get; init; }
    public string? ArchiveDir { get; init; }
    public string? BackupName { get; init; }
    public string? StatusFile { get; init; }
    public required TimeZoneInfo TimeZone { get; init; }
    public required Threshold Age { get; init; }
    public required Threshold FullAge { get; init; }
    public ServiceState IncompleteState { get; init; }
    public ServiceState OrphanedState { get; init; }
    public double? RunningGraceSeconds { get; init; }
    public required string Duplicity { get; init; }
    public string? SudoUser { get; init; }
    public string? User { get; init; }
    public string? Script { get; init; }
    public required string ProcRoot { get; init; }

    /// <summary>The listing cache's directory; null = off.</summary>
    public string? ListingCache { get; init; }

    public FixCommands Fixes => new(User, Destination, ArchiveDir, BackupName, Script);

    public static FreshnessOptions From(ParsedOptions o, SecretMasker? secrets = null)
    {
        var jobName = o.Get("job");
        var job = jobName is null ? null : JobConfigReader.Load(o.Get("config") ?? JobConfigReader.DefaultPath, jobName, secrets);
        string? Pick(string option, string key) => o.Get(option) is { Length: > 0 } v ? v : job?.Get(key);

        var grace = Pick("running-grace", "running_grace");
        var duplicity = Pick("duplicity", "duplicity") ?? CollectionStatusInvocation.DefaultDuplicity;
        if (!Path.IsPathFullyQualified(duplicity))
            throw new UsageException($"--duplicity: '{duplicity}' must be an absolute path (programs are never looked up in PATH)");
        return new FreshnessOptions
        {
            JobName = jobName,
            Destination = DestinationUrl.Pick(o.Get("destination"), job?.Destination, jobName),
            ArchiveDir = Pick("archive-dir", "archive_dir"),
            BackupName = Pick("name", "name"),
            StatusFile = Pick("status-file", "status_file"),
            TimeZone = AscTime.FindZone(Pick("timezone", "timezone")),
            Age = Threshold.Parse(Pick("warning", "warning") ?? "26h", Pick("critical", "critical") ?? "50h", RangeUnits.Duration, "--warning", "--critical"),
            FullAge = Threshold.Parse(Pick("full-warning", "full_warning"), Pick("full-critical", "full_critical"), RangeUnits.Duration, "--full-warning", "--full-critical"),
            IncompleteState = StateOf(Pick("incomplete-state", "incomplete_state"), "--incomplete-state"),
            OrphanedState = StateOf(Pick("orphaned-state", "orphaned_state"), "--orphaned-state"),
            RunningGraceSeconds = grace is null or "off" ? null : Duration.ParseSeconds(grace, "--running-grace"),
            Duplicity = duplicity,
            SudoUser = Pick("sudo-user", "sudo_user"),
            User = Pick("user", "user"),
            Script = job?.Script,
            ProcRoot = o.Get("proc-root") ?? "/proc",
            ListingCache = Pick("listing-cache", "listing_cache") switch
            {
                null => StateFile.DefaultDirectory,
                "off" => null,
                var dir when Path.IsPathFullyQualified(dir) => dir,
                var dir => throw new UsageException($"--listing-cache: '{dir}' must be an absolute path or 'off'"),
            },
        };
    }

    private static ServiceState StateOf(string? text, string option)
    {
        if (text is null) return ServiceState.Warning;
        return ServiceStates.TryParse(text, out var s) && s != ServiceState.Unknown ? s
            : throw new UsageException($"{option}: '{text}' is not one of ok, warning, critical");
    }
}

using DuplicityChecks.CheckOptions;
using DuplicityChecks.Duplicity.Jobs;
using DuplicityChecks.Duplicity.Live;
using DuplicityChecks.Plugin;
using DuplicityChecks.Plugin.Options;

namespace DuplicityChecks.Checks.Freshness;

/// <summary>The options of check_duplicity_freshness, merged with the job's INI section (options win).</summary>
public sealed record FreshnessOptions : BackupOptions
{
    /// <summary>Each option of the check, declared once: tokenizer, job merge and --help read these.</summary>
    public static class Declared
    {
        private static readonly ServiceState[] JudgedStates = [ServiceState.Ok, ServiceState.Warning, ServiceState.Critical];
        private static readonly OptionParser<ServiceState> SetState = OptionParsers.State(JudgedStates, "one of ok, warning, critical");

        public static readonly Option<string?> Job = SharedOptions.Job with { Help = "Read the job's settings from the [job:NAME] section of the config file" };
        public static readonly Option<string?> Config = SharedOptions.Config with { Help = "Job config file (INI, at most 1 MiB)" };
        public static readonly Option<string?> Destination = SharedOptions.Destination with { Help = "Backup target URL exactly as the job gives it to duplicity; with no archive dir, a live 'duplicity collection-status' is run against it" };
        public static readonly Option<string?> ArchiveDir = SharedOptions.ArchiveDir with { Help = "duplicity's archive dir (cache) to read offline; with no --name and no --destination every backup in it is checked (at most 30,000 manifests a backup)" };
        public static readonly Option<string?> BackupName = SharedOptions.BackupName with { Help = "duplicity --name of the backup (default: md5 of the destination URL)" };
        public static readonly Option<string?> StatusFile = new("status-file", 's', "FILE", "Read a saved collection-status (text or --log-fd/--log-file machine form, auto-detected; at most 16 MiB, lines up to 64 KiB)", OptionParsers.Text) { JobKey = "status_file" };
        public static readonly Option<TimeZoneInfo> TimeZone = new Option<TimeZoneInfo>("timezone", null, "TZ", "Zone of the dates in a human collection-status text", DuplicityParsers.TimeZone) { JobKey = "timezone" }
            .WithDefault(System.TimeZoneInfo.Local, "the machine's zone");
        public static readonly Option<ThresholdRange?> Warning = ThresholdOption.Of("warning", 'w', "RANGE", "WARNING range for the age of the last complete backup (durations: 26h, 2d, 1w)", RangeUnits.Duration, "warning")
            .WithDefault("26h");
        public static readonly Option<ThresholdRange?> Critical = ThresholdOption.Of("critical", 'c', "RANGE", "CRITICAL range for the age of the last complete backup", RangeUnits.Duration, "critical")
            .WithDefault("50h");
        public static readonly Option<ThresholdRange?> FullWarning = ThresholdOption.Of("full-warning", null, "RANGE", "WARNING range for the age of the last full backup", RangeUnits.Duration, "full_warning")
            .WithDefault("none");
        public static readonly Option<ThresholdRange?> FullCritical = ThresholdOption.Of("full-critical", null, "RANGE", "CRITICAL range for the age of the last full backup", RangeUnits.Duration, "full_critical")
            .WithDefault("none");
        public static readonly Option<ServiceState> Incomplete = new Option<ServiceState>("incomplete-state", null, "STATE", "State when incomplete backup sets are found and no backup is running (ok|warning|critical)", SetState) { JobKey = "incomplete_state" }
            .WithDefault("warning");
        public static readonly Option<ServiceState> Orphaned = new Option<ServiceState>("orphaned-state", null, "STATE", "State when orphaned backup sets are found (ok|warning|critical)", SetState) { JobKey = "orphaned_state" }
            .WithDefault("warning");
        public static readonly Option<double?> RunningGrace = new Option<double?>("running-grace", null, "DURATION", "While a backup younger than DURATION is running, a CRITICAL age becomes WARNING", OptionParsers.Duration) { JobKey = "running_grace", Off = "no grace" }
            .WithDefault("off");
        public static readonly Option<string?> DuplicityPath = new Option<string?>("duplicity", null, "PATH", "duplicity executable for live runs", OptionParsers.AbsolutePath(" (programs are never looked up in PATH)")) { JobKey = "duplicity" }
            .WithDefault(CollectionStatusInvocation.DefaultDuplicity);
        public static readonly Option<string?> SudoUser = new("sudo-user", null, "USER", "Run duplicity as USER through 'sudo -n -u USER' (never waits for a password)", OptionParsers.Text) { JobKey = "sudo_user" };
        public static readonly Option<string?> User = SharedOptions.User with { Help = "Who runs the backup, for the commands in hints" };
        public static readonly Option<string?> ProcRoot = SharedOptions.ProcRoot with { Help = "Where /proc is (for the lock holder); for tests and captures" };
        public static readonly Option<string?> ListingCache = new Option<string?>("listing-cache", null, "DIR", "Where each archive-dir folder's listing is kept until the folder changes, so an unchanged cache is not listed again (not used when DIR is missing; only read when DIR belongs to another user)", OptionParsers.AbsolutePath(" or 'off'")) { JobKey = "listing_cache", Off = "list every run" }
            .WithDefault(StateFile.DefaultDirectory);
    }

    public static readonly IReadOnlyList<OptionSpec> Specs =
    [
        Declared.Job, Declared.Config, Declared.Destination, Declared.ArchiveDir, Declared.BackupName, Declared.StatusFile, Declared.TimeZone,
        Declared.Warning, Declared.Critical, Declared.FullWarning, Declared.FullCritical, Declared.Incomplete, Declared.Orphaned,
        Declared.RunningGrace, Declared.DuplicityPath, Declared.SudoUser, Declared.User, Declared.ProcRoot, Declared.ListingCache,
    ];

    public string? StatusFile { get; init; }
    public required TimeZoneInfo TimeZone { get; init; }
    public required Threshold Age { get; init; }
    public required Threshold FullAge { get; init; }
    public ServiceState IncompleteState { get; init; }
    public ServiceState OrphanedState { get; init; }
    public double? RunningGraceSeconds { get; init; }
    public required string Duplicity { get; init; }
    public string? SudoUser { get; init; }
    public required string ProcRoot { get; init; }

    /// <summary>The listing cache's directory; null = off.</summary>
    public string? ListingCache { get; init; }

    public static FreshnessOptions From(ParsedOptions o, SecretMasker? secrets = null) => From(JobOptions.Read(o, secrets));

    private FreshnessOptions(OptionValues values) : base(values) { }

    public static FreshnessOptions From(OptionValues v)
    {
        var duplicity = v.Get(Declared.DuplicityPath)!; // judged first, as it always was: its error wins over the others'
        return new FreshnessOptions(v)
        {
            StatusFile = v.Get(Declared.StatusFile),
            TimeZone = v.Get(Declared.TimeZone),
            Age = new Threshold(v.Get(Declared.Warning), v.Get(Declared.Critical)),
            FullAge = new Threshold(v.Get(Declared.FullWarning), v.Get(Declared.FullCritical)),
            IncompleteState = v.Get(Declared.Incomplete),
            OrphanedState = v.Get(Declared.Orphaned),
            RunningGraceSeconds = v.Get(Declared.RunningGrace),
            Duplicity = duplicity,
            SudoUser = v.Get(Declared.SudoUser),
            ProcRoot = v.Get(Declared.ProcRoot)!,
            ListingCache = v.Get(Declared.ListingCache),
        };
    }
}

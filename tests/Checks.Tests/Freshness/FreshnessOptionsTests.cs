using DuplicityChecks.Checks.Freshness;
using DuplicityChecks.Checks.Tests.Options;
using DuplicityChecks.Duplicity.Jobs;
using DuplicityChecks.Duplicity.Live;
using DuplicityChecks.Plugin;
using DuplicityChecks.Plugin.Options;
using D = DuplicityChecks.Checks.Freshness.FreshnessOptions.Declared;

namespace DuplicityChecks.Checks.Tests.Freshness;

/// <summary>Every option of check_duplicity_freshness, from its one declaration: command line, job key, default, none/off, a bad value.</summary>
public class FreshnessOptionsTests : OptionTableTests<FreshnessOptions, FreshnessOptionsTests>, IOptionTable<FreshnessOptions>
{
    public static FreshnessOptions From(OptionValues values) => FreshnessOptions.From(values);

    private static ThresholdRange Above(double seconds) => new(0, seconds, false);

    public static IReadOnlyList<OptionRow<FreshnessOptions>> Rows { get; } =
    [
        new(D.Job, "assets", o => o.JobName, "assets", null),
        new(D.Destination, "sftp://u@h/b", o => o.Destination, "sftp://u@h/b", null, "-x", "--destination: '-x' begins with '-', which duplicity would read as an option; give the target URL (scheme://...)", NoneIsAValue: true),
        new(D.ArchiveDir, "/var/cache/duplicity", o => o.ArchiveDir, "/var/cache/duplicity", null),
        new(D.BackupName, "assets", o => o.BackupName, "assets", null),
        new(D.StatusFile, "/tmp/status.txt", o => o.StatusFile, "/tmp/status.txt", null),
        new(D.TimeZone, "Europe/Berlin", o => o.TimeZone, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"), TimeZoneInfo.Local, "Mars/Olympus", "unknown time zone 'Mars/Olympus' for --timezone (use an IANA name such as Europe/Berlin, or UTC)"),
        new(D.Warning, "3h", o => o.Age.Warning, Above(10800), Above(93600), "3x", "--warning: '3x' is not a range ([@][start:][end])"),
        new(D.Critical, "3d", o => o.Age.Critical, Above(259200), Above(180000), "1:0", "--critical: '1:0': start is greater than end"),
        new(D.FullWarning, "8d", o => o.FullAge.Warning, Above(691200), null, "x", "--full-warning: 'x' is not a range ([@][start:][end])"),
        new(D.FullCritical, "@1d:2d", o => o.FullAge.Critical, new ThresholdRange(86400, 172800, true), null, "1y:1d", "--full-critical: '1y:1d': start is greater than end"),
        new(D.Incomplete, "critical", o => o.IncompleteState, ServiceState.Critical, ServiceState.Warning, "unknown", "--incomplete-state: 'unknown' is not one of ok, warning, critical"),
        new(D.Orphaned, "ok", o => o.OrphanedState, ServiceState.Ok, ServiceState.Warning, "bad", "--orphaned-state: 'bad' is not one of ok, warning, critical"),
        new(D.RunningGrace, "2h", o => o.RunningGraceSeconds, 7200.0, null, "2x", "--running-grace: '2x' is not a duration (use 90, 90s, 15m, 26h, 2d, 1w, 7D, 1M)"),
        new(D.DuplicityPath, "/opt/duplicity", o => o.Duplicity, "/opt/duplicity", CollectionStatusInvocation.DefaultDuplicity, "duplicity", "--duplicity: 'duplicity' must be an absolute path (programs are never looked up in PATH)"),
        new(D.SudoUser, "backup", o => o.SudoUser, "backup", null),
        new(D.User, "backup", o => o.User, "backup", null),
        new(D.ProcRoot, "/tmp/proc", o => o.ProcRoot, "/tmp/proc", "/proc"),
        new(D.ListingCache, "/var/tmp/listings", o => o.ListingCache, "/var/tmp/listings", StateFile.DefaultDirectory, "listings", "--listing-cache: 'listings' must be an absolute path or 'off'"),
    ];

    public static IReadOnlyList<OptionSpec> Specs => FreshnessOptions.Specs;

    public static IReadOnlyList<string> WithoutRow => ["config"];

    // Issue 16's two bugs, through the command line as the check reads it (a54d85e: usage errors).
    [Test]
    public void Full_warning_none_is_what_help_says_the_default_is()
        => FreshnessOptions.From(CommandLine.Parse(["--full-warning", "none"], FreshnessOptions.Specs)).FullAge.Warning.Should().BeNull();

    [TestCase("none")]
    [TestCase("off")]
    public void The_warning_threshold_can_be_switched_off(string word)
        => FreshnessOptions.From(CommandLine.Parse(["-w", word], FreshnessOptions.Specs)).Age.Should().Be(new Threshold(null, Above(180000)));
}

using System.Globalization;
using System.Text.Json;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Golden;

/// <summary>One step of a fixture scenario, with the facts a golden run takes from the manifest.</summary>
internal sealed record GoldenStepFacts(string Relative, JsonElement Step)
{
    public string Action => Step.GetProperty("duplicity_action") is { ValueKind: JsonValueKind.String } a ? a.GetString()! : "";

    /// <summary>The fixed --now of every run over this step: when the step ended.</summary>
    public long EndEpoch => Step.GetProperty("end_epoch_utc").GetInt64();

    public string TimeZone => Step.TryGetProperty("TZ", out var z) && z.GetString() is { Length: > 0 } zone ? zone : "UTC";

    public bool Has(string file) => File.Exists(Path.Combine(RepoPaths.Fixtures, Relative, file));
}

/// <summary>
/// Which fixture inputs the golden runs cover, in a fixed order (ordinal): the steps of every manifest, the cache
/// listings, the process captures; and where <see cref="GoldenInputs"/> puts what it builds from them.
/// </summary>
internal static class GoldenFixtures
{
    public static IEnumerable<GoldenStepFacts> Steps()
        => Manifest.AllSteps().Select(s => new GoldenStepFacts(
            Path.GetRelativePath(RepoPaths.Fixtures, Manifest.StepDirectory(s.Version, s.Scenario, s.Step.GetProperty("step").GetString()!)), s.Step))
            .Where(s => Directory.Exists(Path.Combine(RepoPaths.Fixtures, s.Relative)));

    /// <summary>Steps that ran duplicity itself (not the shell steps), as the log fixture tests take them.</summary>
    public static IEnumerable<GoldenStepFacts> DuplicitySteps() => Steps().Where(s => s.Action.Length > 0);

    /// <summary>Steps recorded as separate stdout and stderr: the log tests judge them joined.</summary>
    public static IEnumerable<string> SplitLogs() => DuplicitySteps().Where(s => s.Has("stdout.txt") && s.Has("stderr.txt")).Select(s => s.Relative);

    public static string JoinedLog(string stepRelative) => $"{stepRelative}/stdout+stderr.txt";

    /// <summary>Every recorded listing of an archive dir (the cache): <c>ls-var_cache*.txt</c> of every step.</summary>
    public static IEnumerable<string> CacheListings()
        => Directory.EnumerateFiles(RepoPaths.Fixtures, "ls-var_cache*.txt", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepoPaths.Fixtures, f)).Order(StringComparer.Ordinal);

    /// <summary>The base dir a listing is rebuilt in (the listed folder is below it, under its own name).</summary>
    public static string RebuiltCache(string listingRelative) => listingRelative[..^".txt".Length];

    /// <summary>The last element of the listed path (the md5 or --name folder, or the base dir's own name).</summary>
    public static string ListedFolder(string listingFile) => Path.GetFileName(File.ReadLines(listingFile).First().Split(' ')[^1]);

    /// <summary>The scenario step a listing belongs to.</summary>
    public static GoldenStepFacts StepOf(string relativeFile, IReadOnlyList<GoldenStepFacts> steps)
        => steps.First(s => s.Relative == Path.GetDirectoryName(relativeFile));

    /// <summary>Process snapshots of ps-during-backup (every version): ps captures, some with proc/PID-comm folders.</summary>
    public static IEnumerable<string> PsSnapshots()
        => RepoPaths.VersionDirectories.Select(v => Path.Combine(v, "ps-during-backup", "snapshots")).Where(Directory.Exists)
            .SelectMany(Directory.EnumerateDirectories).Select(d => Path.GetRelativePath(RepoPaths.Fixtures, d)).Order(StringComparer.Ordinal);

    public static IEnumerable<string> ProcFolderSnapshots() => PsSnapshots().Where(s => Directory.Exists(Path.Combine(RepoPaths.Fixtures, s, "proc")));

    public static string RebuiltProcRoot(string snapshotRelative) => $"{snapshotRelative}/proc";

    /// <summary>The captures laid out like /proc (proc-live-backup-and-passphrase-wait of 0.8.22).</summary>
    public static IEnumerable<string> ProcSnapshots()
        => Directory.EnumerateDirectories(RepoPaths.Fixtures, "proc", SearchOption.AllDirectories)
            .Where(d => File.Exists(Path.Combine(d, "stat")))
            .Select(d => Path.GetRelativePath(RepoPaths.Fixtures, Path.GetDirectoryName(d)!)).Order(StringComparer.Ordinal);

    public static string CapturedAt(string snapshotRelative)
        => long.Parse(File.ReadAllText(Path.Combine(RepoPaths.Fixtures, snapshotRelative, "captured_at_epoch_utc.txt")).Trim(), CultureInfo.InvariantCulture)
            .ToString(CultureInfo.InvariantCulture);

    /// <summary>Logs a cron job wrote (ps-during-backup/cron-job/backup.log).</summary>
    public static IEnumerable<string> CronLogs()
        => Directory.EnumerateFiles(RepoPaths.Fixtures, "backup.log", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepoPaths.Fixtures, f)).Order(StringComparer.Ordinal);
}

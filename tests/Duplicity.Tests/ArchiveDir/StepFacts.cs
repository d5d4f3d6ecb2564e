using System.Text.Json;
using System.Text.RegularExpressions;
using DuplicityChecks.Duplicity.ArchiveDir;
using DuplicityChecks.Duplicity.Model;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Duplicity.Tests.ArchiveDir;

/// <summary>
/// The manifest-JSON facts of one fixture step, as the archive-dir tests need them. Sets are named
/// "full 20261126T101346Z" / "inc 20261126T101422Z" (type and time: unique in every recorded scenario).
/// </summary>
public sealed partial class StepFacts
{
    private readonly JsonElement[] _steps;
    private readonly int _index;

    public StepFacts(string version, string scenario, string step)
    {
        Version = version;
        Scenario = scenario;
        _steps = Manifest.Scenarios(version).GetProperty(scenario).GetProperty("steps").EnumerateArray().ToArray();
        _index = Array.FindIndex(_steps, s => s.GetProperty("step").GetString() == step);
        if (_index < 0) throw new ArgumentException($"no step {step} in {version}/{scenario}");
    }

    public string Version { get; }

    public string Scenario { get; }

    public JsonElement Step => _steps[_index];

    public string StepName => Step.GetProperty("step").GetString()!;

    public static string Key(BackupSet s) => $"{(s.IsFull ? "full" : "inc")} {DuplicityTime.Format(s.Time)}";

    public static string Key(ArchiveFileName n) => $"{(n.IsFull ? "full" : "inc")} {DuplicityTime.Format(n.Time)}";

    private static string Key(JsonElement set) => $"{set.GetProperty("type").GetString()} {set.GetProperty("time_utc").GetString()}";

    private static bool Has(JsonElement e, string property, out JsonElement value)
        => e.TryGetProperty(property, out value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>Sets whose manifest is final at the destination after this step (null: no destination listing).</summary>
    public IReadOnlyList<string>? DestinationCompleteSets
        => Has(Step, "destination_complete_sets", out var sets) ? sets.EnumerateArray().Select(Key).ToList() : null;

    /// <summary>The sets of the <c>.manifest.part</c> files the harness saw in the archive dir after this step.</summary>
    public IReadOnlyList<string> ArchiveDirPartManifests
        => Has(Step, "archive_dir_part_files", out var files)
            ? files.EnumerateArray().Select(f => ArchiveFileName.Parse(f.GetString()!))
                .Where(n => n is { Kind: ArchiveFileKind.Manifest }).Select(n => Key(n!.Value)).ToList()
            : [];

    /// <summary>For a backup step: the sets it completed at the destination (empty for a killed run); null for other steps.</summary>
    public IReadOnlyList<(string Key, long Epoch)>? NewCompleteSets
        => Has(Step, "new_complete_sets_at_destination", out var sets)
            ? sets.EnumerateArray().Select(s => (Key(s), s.GetProperty("epoch").GetInt64())).ToList()
            : null;

    public bool Killed => Has(Step, "kill_signal", out _);

    /// <summary>collection-status facts from this step's --log-fd block, when this step is a plain collection-status.</summary>
    public JsonElement? CollectionStatus
        => Has(Step, "collection_status", out var cs) && Step.GetProperty("duplicity_action").GetString() == "collection-status"
           && cs.TryGetProperty("orphaned_sets_num", out _) ? cs : null;

    /// <summary>True when no backup step of the scenario up to here succeeded (so no set can exist anywhere).</summary>
    public bool NoSuccessfulBackupSoFar
        => _steps.Take(_index + 1).All(s => !IsBackup(s) || s.GetProperty("exit_code").GetInt32() != 0);

    /// <summary>
    /// Manifests deleted by hand at the destination (a shell step's <c>rm</c>) since the last successful backup
    /// run: the cache still has them until the next run syncs it (duplicity-formats.md §5.6, caveat 6).
    /// </summary>
    public IReadOnlyList<string> DeletedAtDestinationSinceLastSync
    {
        get
        {
            var deleted = new List<string>();
            foreach (var s in _steps.Take(_index + 1))
            {
                if (IsBackup(s) && s.GetProperty("exit_code").GetInt32() == 0) deleted.Clear();
                if (Has(s, "kind", out var kind) && kind.GetString()!.StartsWith("shell", StringComparison.Ordinal)
                    && s.GetProperty("command").GetString() is { } cmd && cmd.StartsWith("rm ", StringComparison.Ordinal))
                {
                    deleted.AddRange(cmd.Split(' ').Select(Path.GetFileName).Select(n => ArchiveFileName.Parse(n!))
                        .Where(n => n is { Kind: ArchiveFileKind.Manifest }).Select(n => Key(n!.Value)));
                }
            }
            return deleted;
        }
    }

    private static bool IsBackup(JsonElement s)
        => Has(s, "duplicity_action", out var a) && a.GetString() is "backup (implicit full/inc)" or "full" or "incremental";

    /// <summary>
    /// How many volumes the set has according to the facts: the destination's volume files of this step, the
    /// volumes collection-status reported in any step of the scenario, or, for a partial set, the volume group
    /// without manifest at the destination. Null when no fact says.
    /// </summary>
    public int? VolumesOf(ArchiveFileName manifest)
    {
        var key = Key(manifest);
        if (manifest.Partial)
        {
            var group = manifest.IsFull
                ? $"duplicity-full.{DuplicityTime.Format(manifest.Time)}"
                : $"duplicity-inc.{DuplicityTime.Format(manifest.StartTime!.Value)}.to.{DuplicityTime.Format(manifest.Time)}";
            return Has(Step, "destination_volume_groups_without_manifest", out var groups) && groups.TryGetProperty(group, out var n) ? n.GetInt32() : null;
        }
        foreach (var s in new[] { Step }.Concat(_steps))
        {
            if (Has(s, "destination_complete_sets", out var sets))
                foreach (var set in sets.EnumerateArray())
                    if (Key(set) == key) return set.GetProperty("volume_files").GetInt32();
        }
        foreach (var s in _steps)
        {
            if (!Has(s, "collection_status", out var cs) || !cs.TryGetProperty("chains", out var chains)) continue;
            foreach (var chain in chains.EnumerateArray())
                foreach (var set in chain.GetProperty("sets").EnumerateArray())
                    if (Key(set) == key) return set.GetProperty("volumes").GetInt32();
        }
        return null;
    }

    /// <summary>The destination URL in the step's command, when there is one.</summary>
    public string? DestinationUrl => UrlPattern().Match(Step.GetProperty("command").GetString() ?? "") is { Success: true } m ? m.Value : null;

    public bool CommandHasName => (Step.GetProperty("command").GetString() ?? "").Contains(" --name ", StringComparison.Ordinal);

    [GeneratedRegex(@"\b[a-z0-9+]+://\S+")]
    private static partial Regex UrlPattern();
}

using System.Text.Json;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Duplicity.Tests.CollectionStatus;

/// <summary>One recorded step of the fixtures, with the facts of its manifest entry.</summary>
public sealed record FixtureStep(string Version, string Scenario, string Name, JsonElement Json)
{
    public string Directory => Manifest.StepDirectory(Version, Scenario, Name);

    public string PathOf(string file) => Path.Combine(Directory, file);

    public bool Has(string file) => File.Exists(PathOf(file));

    public int ExitCode => Json.GetProperty("exit_code").GetInt32();

    public string Command => Json.GetProperty("command").GetString() ?? "";

    public bool IsCollectionStatus => Json.TryGetProperty("duplicity_action", out var a) && a.ValueKind == JsonValueKind.String && a.GetString() == "collection-status";

    /// <summary>--show-changes-in-set / --file-changed: a collection-status that prints no chain listing.</summary>
    public bool IsChangesQuery => Command.Contains("--show-changes-in-set", StringComparison.Ordinal) || Command.Contains("--file-changed", StringComparison.Ordinal);

    public bool HasListingFacts => Json.TryGetProperty("collection_status", out var cs) && cs.TryGetProperty("orphaned_sets_num", out _);

    public JsonElement Facts => Json.GetProperty("collection_status");

    /// <summary>The step name without its "NN-" number.</summary>
    public string Label => Name.Length > 3 && char.IsAsciiDigit(Name[0]) && Name[2] == '-' ? Name[3..] : Name;

    /// <summary>The zone duplicity ran in (run-info.txt TZ=; empty = the recording machine's zone, Etc/UTC).</summary>
    public TimeZoneInfo Zone
    {
        get
        {
            var tz = File.ReadLines(PathOf("run-info.txt")).FirstOrDefault(l => l.StartsWith("TZ=", StringComparison.Ordinal))?[3..];
            return string.IsNullOrEmpty(tz) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(tz);
        }
    }

    public override string ToString() => $"{Version}/{Scenario}/{Name}";

    public static IReadOnlyList<FixtureStep> All { get; } = Manifest.AllSteps()
        .Select(s => new FixtureStep(s.Version, s.Scenario, s.Step.GetProperty("step").GetString()!, s.Step))
        .ToList();

    /// <summary>The step right after this one in its scenario, if any.</summary>
    public FixtureStep? Next
    {
        get
        {
            var list = All.Where(s => s.Version == Version && s.Scenario == Scenario).ToList();
            var i = list.FindIndex(s => s.Name == Name);
            return i >= 0 && i + 1 < list.Count ? list[i + 1] : null;
        }
    }
}

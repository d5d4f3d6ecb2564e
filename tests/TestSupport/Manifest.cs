using System.Text.Json;

namespace DuplicityChecks.TestSupport;

/// <summary>The facts manifests under ../shared/fixtures (manifest-duplicity-&lt;version&gt;.json).</summary>
public static class Manifest
{
    private static readonly Dictionary<string, JsonDocument> Cache = [];

    public static JsonElement Scenarios(string version)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(version, out var doc))
                Cache[version] = doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Fixtures, $"manifest-duplicity-{version}.json")));
            return doc.RootElement.GetProperty("scenarios");
        }
    }

    /// <summary>Every (version, scenario, step) triple with its JSON step element.</summary>
    public static IEnumerable<(string Version, string Scenario, JsonElement Step)> AllSteps()
    {
        foreach (var dir in RepoPaths.VersionDirectories)
        {
            var version = RepoPaths.VersionOf(dir);
            foreach (var scenario in Scenarios(version).EnumerateObject())
            {
                if (!scenario.Value.TryGetProperty("steps", out var steps)) continue;
                foreach (var step in steps.EnumerateArray()) yield return (version, scenario.Name, step);
            }
        }
    }

    public static string StepDirectory(string version, string scenario, string step)
        => Path.Combine(RepoPaths.Fixtures, $"duplicity-{version}", scenario, step);
}

using System.Globalization;
using System.Text.Json;

namespace DuplicityChecks.EndToEnd.Tests.Freshness;

/// <summary>
/// What check_duplicity_freshness must print for a manifest's collection-status facts at a given time,
/// derived from the facts alone (not from the plugin's code): exit code, perfdata, and the exact first line
/// where the facts determine it.
/// </summary>
internal sealed record Expectation(int ExitCode, Dictionary<string, string> Perf, string? FirstLine)
{
    /// <summary>Exit codes that are right: WARNING or CRITICAL where only the version's truth rule decides.</summary>
    public int[] Allowed => ExitCode == -1 ? [1, 2] : [ExitCode];

    public static Expectation From(JsonElement facts, long now)
    {
        var chains = facts.GetProperty("chains").EnumerateArray().ToList();
        var incomplete = facts.GetProperty("incomplete_sets_num").GetInt32();
        var orphaned = facts.GetProperty("orphaned_sets_num").GetInt32();
        var perf = new Dictionary<string, string>
        {
            ["chains"] = facts.GetProperty("num_chains").GetInt32().ToString(CultureInfo.InvariantCulture),
            ["backup_sets"] = facts.GetProperty("num_backup_sets_total").GetInt32().ToString(CultureInfo.InvariantCulture),
            ["volumes"] = facts.GetProperty("num_volumes_total").GetInt32().ToString(CultureInfo.InvariantCulture),
            ["incomplete_sets"] = incomplete.ToString(CultureInfo.InvariantCulture),
            ["orphaned_sets"] = orphaned.ToString(CultureInfo.InvariantCulture),
        };
        if (chains.Count == 0) return new Expectation(2, perf, null);

        var primary = chains.LastOrDefault(c => c.GetProperty("kind").GetString() == "primary");
        var state = incomplete > 0 || orphaned > 0 ? 1 : 0;
        if (primary.ValueKind != JsonValueKind.Object || incomplete > 0)
            return new Expectation(-1, perf, null); // whether any listed set is complete is version-specific here

        var last = primary.GetProperty("sets").EnumerateArray().Last();
        var lastEpoch = last.GetProperty("epoch").GetInt64();
        var fullEpoch = chains.SelectMany(c => c.GetProperty("sets").EnumerateArray())
            .Where(x => x.GetProperty("type").GetString() == "full").Max(x => x.GetProperty("epoch").GetInt64());
        perf["last_backup_age"] = $"{now - lastEpoch}s";
        perf["last_full_age"] = $"{now - fullEpoch}s";
        if (state != 0) return new Expectation(state, perf, null);

        var type = last.GetProperty("type").GetString() == "full" ? "full" : "incremental";
        var stamp = DateTimeOffset.FromUnixTimeSeconds(lastEpoch).UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var first = $"DUPLICITY FRESHNESS OK - last backup {Human(now - lastEpoch)} ago ({type}, {stamp}), last full {Human(now - fullEpoch)} ago"
            + $" | last_backup_age={now - lastEpoch}s;93600;180000;0 last_full_age={now - fullEpoch}s;;;0 chains={perf["chains"]};;;0"
            + $" backup_sets={perf["backup_sets"]};;;0 volumes={perf["volumes"]};;;0 incomplete_sets=0;;;0 orphaned_sets=0;;;0";
        return new Expectation(0, perf, first);
    }

    // Independent of the plugin's formatter: seconds under a minute, else minutes and seconds (fixture ages are short).
    private static string Human(long s) => s < 60 ? $"{s}s" : s % 60 == 0 ? $"{s / 60}m" : $"{s / 60}m {s % 60}s";
}

using System.Globalization;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Golden;

/// <summary>
/// The golden runs of check_duplicity_freshness: every saved collection-status (the machine log, and the human text
/// with --timezone of the step), the machine log of every listing 30 h and 60 h later (the stale thresholds), every
/// recorded archive dir rebuilt from its listing, each at the verbosities; then the option errors, --help, --version.
/// </summary>
internal static class FreshnessGoldenCases
{
    public const string Check = Robustness.Checks.Freshness;

    public static IEnumerable<GoldenCase> All()
    {
        var steps = GoldenFixtures.Steps().ToList();
        foreach (var step in steps)
        {
            var now = Epoch(step.EndEpoch);
            var isStatus = step.Action == "collection-status" || step.Step.TryGetProperty("collection_status", out _);
            if (!isStatus) continue;
            if (step.Has("log-fd3.txt"))
            {
                var log = GoldenInputs.FixtureArg($"{step.Relative}/log-fd3.txt");
                foreach (var v in GoldenVerbosity.Levels) yield return GoldenCase.Of(["-s", log, "--now", now, .. v]);
                yield return GoldenCase.Of("-s", log, "--now", Epoch(step.EndEpoch + 30 * 3600));
                yield return GoldenCase.Of("-s", log, "--now", Epoch(step.EndEpoch + 60 * 3600));
            }
            foreach (var form in new[] { "stdout.txt", "output-merged.txt" }.Where(step.Has))
            {
                var text = GoldenInputs.FixtureArg($"{step.Relative}/{form}");
                foreach (var v in GoldenVerbosity.Levels) yield return GoldenCase.Of(["-s", text, "--timezone", step.TimeZone, "--now", now, .. v]);
            }
        }

        foreach (var listing in GoldenFixtures.CacheListings())
        {
            var step = GoldenFixtures.StepOf(listing, steps);
            var folder = GoldenFixtures.ListedFolder(Path.Combine(RepoPaths.Fixtures, listing));
            string[] args = ["-A", GoldenInputs.DerivedArg(GoldenFixtures.RebuiltCache(listing)), "-N", folder, "--now", Epoch(step.EndEpoch),
                "--proc-root", GoldenInputs.DerivedArg("empty-proc"), "--listing-cache", "off"];
            foreach (var v in GoldenVerbosity.Levels) yield return GoldenCase.Of([.. args, .. v]);
        }
        // An archive dir with every backup in it (no --name): the full-plus-incrementals cache of each version.
        foreach (var listing in GoldenFixtures.CacheListings().Where(l => l.Contains("/full-plus-incrementals/", StringComparison.Ordinal)))
        {
            var step = GoldenFixtures.StepOf(listing, steps);
            yield return GoldenCase.Of("-A", GoldenInputs.DerivedArg(GoldenFixtures.RebuiltCache(listing)), "--now", Epoch(step.EndEpoch),
                "--proc-root", GoldenInputs.DerivedArg("empty-proc"), "--listing-cache", "off", "-v");
        }

        foreach (var c in Options()) yield return c;
    }

    private static IEnumerable<GoldenCase> Options()
    {
        var log = GoldenInputs.FixtureArg("duplicity-0.8.22/full-plus-incrementals/06-collection-status-logfd/log-fd3.txt");
        string[] valid = ["-s", log, "--now", "1795688000"];
        foreach (var c in GoldenVerbosity.CommonOptionCases(valid)) yield return c;
        // Each a valid run with one more option (the value split at spaces): the errors of the check's own options.
        foreach (var c in GoldenVerbosity.WithEach(valid,
            "-w abc", "-c 10x", "-w 2d -c 1d", "-w none", "--full-warning none", "--full-warning 3d --full-critical 1w",
            "--full-critical @1h:2h", "--incomplete-state maybe", "--incomplete-state unknown", "--orphaned-state critical",
            "--orphaned-state sometimes", "--running-grace soon", "--running-grace off", "--duplicity duplicity", "--listing-cache relative/dir",
            "--timezone Mars/Olympus_Mons"))
            yield return c;
        yield return GoldenCase.Of([]);
        yield return GoldenCase.Of(["-s", GoldenInputs.FixtureArg("no-such-status.txt"), "--now", "1795688000"]);
        yield return GoldenCase.Of(["-s", GoldenInputs.FixtureArg("duplicity-0.8.22"), "--now", "1795688000"]);
        yield return GoldenCase.Of(["-A", GoldenInputs.FixtureArg("no-such-archive-dir"), "--listing-cache", "off", "--now", "1795688000"]);
        foreach (var c in GoldenJobs.Cases(Check, "1795688000")) yield return c;
    }

    private static string Epoch(long seconds) => seconds.ToString(CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Text.Json;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Freshness;

/// <summary>
/// Every collection-status step of every duplicity version under ../shared/fixtures, through the published
/// executable with --now at the recorded time: state, first line and perfdata from the manifest's facts.
/// </summary>
[Category("EndToEnd")]
public class FreshnessFixtureTests
{
    public sealed record StatusStep(string Version, string Scenario, string Step, JsonElement Facts, long Now, string TimeZone)
    {
        public string Directory => Manifest.StepDirectory(Version, Scenario, Step);
        public override string ToString() => $"{Version}/{Scenario}/{Step}";
    }

    public static IEnumerable<TestCaseData> Steps()
    {
        foreach (var (version, scenario, step) in Manifest.AllSteps())
        {
            if (!step.TryGetProperty("collection_status", out var facts)) continue;
            var name = step.GetProperty("step").GetString()!;
            var dir = Manifest.StepDirectory(version, scenario, name);
            if (!File.Exists(Path.Combine(dir, "log-fd3.txt"))) continue;
            var now = step.GetProperty("end_epoch_utc").GetInt64();
            var tz = step.TryGetProperty("TZ", out var z) && z.GetString() is { Length: > 0 } zone ? zone : "UTC";
            yield return new TestCaseData(new StatusStep(version, scenario, name, facts, now, tz)).SetName($"{version} {scenario} {name}");
        }
    }

    private static bool IsListing(JsonElement facts) => facts.TryGetProperty("incomplete_sets_num", out _);

    /// <summary>Steps whose own stdout holds the human listing of the same run (English or German).</summary>
    public static IEnumerable<TestCaseData> TextSteps() => Steps().Where(t =>
    {
        var s = (StatusStep)t.Arguments[0]!;
        var text = File.ReadAllText(Path.Combine(s.Directory, "stdout.txt"));
        return IsListing(s.Facts) && (text.Contains("Collection Status", StringComparison.Ordinal) || text.Contains("Sammlungszustand", StringComparison.Ordinal));
    });

    /// <summary>Steps whose listing is healthy at the recorded time.</summary>
    public static IEnumerable<TestCaseData> HealthySteps() => Steps().Where(t =>
    {
        var s = (StatusStep)t.Arguments[0]!;
        return IsListing(s.Facts) && Expectation.From(s.Facts, s.Now).ExitCode == 0;
    });

    [TestCaseSource(nameof(Steps))]
    public void Machine_log_gives_the_manifest_facts(StatusStep s)
    {
        var run = ProcessRun.Check("check_duplicity_freshness", "-s", Path.Combine(s.Directory, "log-fd3.txt"), "--now", s.Now.ToString(CultureInfo.InvariantCulture));
        run.Stderr.Should().BeEmpty();
        if (!IsListing(s.Facts))
        {
            // --show-changes-in-set / jsonstat output: not a listing, never a guess.
            run.ExitCode.Should().Be(3, run.Stdout);
            run.FirstLine.Should().StartWith("DUPLICITY FRESHNESS UNKNOWN - ");
            return;
        }
        var expected = Expectation.From(s.Facts, s.Now);
        run.ExitCode.Should().BeOneOf(expected.Allowed, run.Stdout);
        Perf(run.Stdout).Should().Contain(expected.Perf);
        if (expected.FirstLine is { } first) run.FirstLine.Should().Be(first);
    }

    [TestCaseSource(nameof(TextSteps))]
    public void Human_text_of_the_same_run_agrees_with_the_machine_log(StatusStep s)
    {
        var stdout = Path.Combine(s.Directory, "stdout.txt");
        var machine = ProcessRun.Check("check_duplicity_freshness", "-s", Path.Combine(s.Directory, "log-fd3.txt"), "--now", s.Now.ToString(CultureInfo.InvariantCulture));
        var text = ProcessRun.Check("check_duplicity_freshness", "-s", stdout, "--timezone", s.TimeZone, "--now", s.Now.ToString(CultureInfo.InvariantCulture));
        text.Stderr.Should().BeEmpty();
        text.ExitCode.Should().Be(machine.ExitCode, text.Stdout);
        Perf(text.Stdout).Should().BeEquivalentTo(Perf(machine.Stdout));
    }

    [TestCaseSource(nameof(HealthySteps))]
    public void Stale_backups_warn_after_26h_and_are_critical_after_50h(StatusStep s)
    {
        var log = Path.Combine(s.Directory, "log-fd3.txt");
        ProcessRun.Check("check_duplicity_freshness", "-s", log, "--now", (s.Now + 30 * 3600).ToString(CultureInfo.InvariantCulture)).ExitCode.Should().Be(1);
        var critical = ProcessRun.Check("check_duplicity_freshness", "-s", log, "--now", (s.Now + 60 * 3600).ToString(CultureInfo.InvariantCulture));
        critical.ExitCode.Should().Be(2);
        critical.FirstLine.Should().MatchRegex(@"^DUPLICITY FRESHNESS CRITICAL - last backup 2d \d+h ago \((full|incremental), .* UTC\) \(limit 2d 2h\)");
    }

    /// <summary>perfdata label=value pairs (first line or final | line).</summary>
    internal static Dictionary<string, string> Perf(string stdout)
    {
        var perf = stdout.Split('\n').Select(l => l.Contains(" | ", StringComparison.Ordinal) ? l[(l.IndexOf(" | ", StringComparison.Ordinal) + 3)..] : l.StartsWith("| ", StringComparison.Ordinal) ? l[2..] : null)
            .Where(p => p is not null).SelectMany(p => p!.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return perf.Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1].Split(';')[0]);
    }
}

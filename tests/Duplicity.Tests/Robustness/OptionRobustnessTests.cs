using System.Text;
using DuplicityChecks.Duplicity.Jobs;
using DuplicityChecks.Plugin;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Duplicity.Tests.Robustness;

/// <summary>
/// Generated bad option values and config files: threshold ranges (plain and duration units), durations,
/// <c>--now</c>, and the INI job file (<see cref="JobConfigReader"/>). Ranges and durations must come out finite;
/// anything else is a UsageException or CheckException.
/// </summary>
public class OptionRobustnessTests
{
    private static readonly string[] RangeSeeds =
    [
        "26h", "@10:20", "~:5", "1d", "2w", "10:", "-5:5", "@~:1h", "15m", "7D", "0.5", "1e3", "50h", "none", "36h:", "1:2",
    ];

    private static readonly string[] Edge =
    [
        "", " ", "NaN", "Infinity", "-Infinity", "1e308", "1e309", "9999999999999999999999d", "-0", "0x10", "1_000", "١٢", "１２h",
        "10:5", "@", "~", "~:~", ":", "::", "1h2", "h", "1hh", "1.5.5", "1,5", "+5", "--5", "\0", "5\0h", "5h\n", "\t5h",
        "1e-400", "4.9e-324", "9223372036854775808", "1w1d", "10000000000000000000000000000000000000000d",
    ];

    private static readonly string[] NowSeeds =
    [
        "1795689786", "2026-11-26T10:00:00Z", "2026-02-30T10:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59-14:00",
        "0001-01-01T00:00:00+14:00", "253402300799", "253402300800", "-1", "1e20", "NaN", "2026-03-29T02:30:00", "2026-10-25T02:30:00+01:00",
    ];

    public static IEnumerable<Mutant> Texts(IEnumerable<string> seeds, int seedBase)
    {
        var i = 0;
        foreach (var s in seeds.Concat(Edge))
        {
            var bytes = Encoding.UTF8.GetBytes(s);
            yield return new Mutant("edge", $"'{s}'", () => bytes);
            for (var cut = 0; cut < bytes.Length; cut++)
            {
                var keep = cut;
                yield return new Mutant("truncated", $"'{s}' cut to {keep}", () => bytes[..keep]);
            }
            foreach (var m in Mutator.Of($"'{s}'", bytes, seedBase + i++).Where(m => m.Kind is "flipped" or "nul" or "invalid-utf8")) yield return m;
        }
    }

    public static IEnumerable<Mutant> RangeCases() => Texts(RangeSeeds, 9000);

    public static IEnumerable<Mutant> NowCases() => Texts(NowSeeds, 9500);

    public static readonly string IniText = """
        ; duplicity-checks job file
        [job:assets]
        destination = rsync://backup@host.example//srv/assets ; where it goes
        archive_dir = /var/cache/duplicity
        name = assets
        user = govuk-backup
        log = /var/log/duplicity/assets.log
        warning = 26h
        critical = 2d
        script = /usr/local/bin/backup-assets

        [job:other]
        destination = file:///srv/b
        """;

    public static IEnumerable<Mutant> IniCases()
    {
        var bytes = Encoding.UTF8.GetBytes(IniText);
        foreach (var m in Mutator.Of("ini", bytes, 9900, ["[job:assets", "= value", "[job:assets]", "destination", "\"unterminated = x", "[]", "[job:assets]\ndestination = other"]))
            yield return m;
        yield return Mutator.HugeLine("ini", bytes);
    }

    [Test]
    public void Every_generated_threshold_range_and_duration_is_finite_or_refused()
    {
        var contract = new ParserContract();
        foreach (var m in RangeCases())
        {
            foreach (var units in new[] { RangeUnits.Plain, RangeUnits.Duration })
            {
                var (verdict, range) = contract.Run(m, b => ThresholdRange.Parse(Encoding.UTF8.GetString(b), units, "--warning"));
                if (verdict == Verdict.Parsed && (double.IsNaN(range!.Start) || double.IsNaN(range.End)))
                    contract.Violate(m, $"NaN in the range {range}");
            }
            var (v, seconds) = contract.Run(m, b => Duration.ParseSeconds(Encoding.UTF8.GetString(b), "--timeout"));
            if (v == Verdict.Parsed && !double.IsFinite(seconds)) contract.Violate(m, $"a duration of {seconds} s");
            if (v == Verdict.Parsed) _ = Duration.Format(seconds);
        }
        contract.AssertClean("ranges and durations", 1000);
    }

    [Test]
    public void Every_generated_now_is_a_time_or_refused()
    {
        var contract = new ParserContract();
        foreach (var m in NowCases())
            contract.Run(m, b => EvaluationTime.Parse(Encoding.UTF8.GetString(b)).ToUnixTimeSeconds());
        contract.AssertClean("--now", 300);
    }

    [Test]
    public void Every_generated_job_file_is_read_or_refused()
    {
        var contract = new ParserContract();
        using var dir = TempDir.InTrustedFolder(); // below /tmp every file would be refused unread
        var path = Path.Combine(dir.Path, "jobs.ini");
        foreach (var m in IniCases())
            contract.Run(m, b =>
            {
                File.WriteAllBytes(path, b);
                var job = JobConfigReader.Load(path, "assets");
                return (job.Get("destination"), job.Get("archive_dir"), job.Get("user"));
            });
        contract.AssertClean("job file", 50);
    }
}

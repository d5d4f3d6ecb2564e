using System.Text;
using System.Text.RegularExpressions;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Robustness;

/// <summary>
/// A few hundred generated bad inputs through the published executables (the in-process tests in
/// Duplicity.Tests/Robustness run the parsers on 160,000 more).
/// </summary>
/// <remarks>
/// The oracle for a healthy collection-status (OK at the chosen --now) that was truncated or byte-flipped: OK only
/// with the same first line as the original (the same last backup, ages and counts), except for a flip inside a
/// date, which can give another valid date that the file states only once. For the log check, a damaged copy of a
/// failed run is never OK. For every run: exit 0-3, stderr empty, bounded time.
/// </remarks>
[Category("EndToEnd")]
public class GeneratedInputEndToEndTests
{
    // 2026-11-26 13:33:20 UTC: a few hours after every recorded backup.
    private const string Now = "1795700000";
    private static readonly Regex DatePattern = new(@"\d{8}T\d{6}Z|[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d \d{4}", RegexOptions.CultureInvariant);

    private static IEnumerable<(string Name, byte[] Bytes)> Damaged(byte[] original, int seed, int lineStep, int flips)
    {
        var lineEnds = original.Select((b, i) => (b, i)).Where(p => p.b == (byte)'\n').Select(p => p.i).ToList();
        for (var l = 0; l < lineEnds.Count - 1; l += lineStep) yield return ($"cut after line {l + 1}", original[..(lineEnds[l] + 1)]);
        var rng = new Random(seed);
        for (var k = 0; k < flips; k++)
        {
            var pos = rng.Next(original.Length);
            var copy = (byte[])original.Clone();
            copy[pos] ^= (byte)(1 << rng.Next(8));
            yield return ($"flip at byte {pos}", copy);
        }
        yield return ("empty", []);
        yield return ("NUL", [.. original[..(original.Length / 2)], 0, .. original[(original.Length / 2)..]]);
        yield return ("CRLF", Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(original).Replace("\n", "\r\n")));
    }

    [Test]
    public void Damaged_healthy_collection_status_is_never_OK_with_other_facts()
    {
        using var dir = new TempDir();
        var cases = 0;
        var seed = 0;
        foreach (var version in RepoPaths.VersionDirectories)
        {
            foreach (var file in new[] { "05-collection-status/stdout.txt", "06-collection-status-logfd/log-fd3.txt" })
            {
                var path = Path.Combine(version, "full-plus-incrementals", file);
                if (!File.Exists(path)) continue;
                var original = File.ReadAllBytes(path);
                var baseline = Checks.Run(Checks.Freshness, ["-s", path, "--timezone", "UTC", "--now", Now]);
                baseline.ExitCode.Should().Be(0, $"the healthy fixture {path} is OK: {baseline.FirstLine}");
                foreach (var (name, bytes) in Damaged(original, seed++, 2, 8))
                {
                    var damaged = Path.Combine(dir.Path, "status.txt");
                    File.WriteAllBytes(damaged, bytes);
                    var r = Checks.Run(Checks.Freshness, ["-s", damaged, "--timezone", "UTC", "--now", Now]);
                    cases++;
                    if (r.ExitCode != 0 || r.FirstLine == baseline.FirstLine) continue;
                    var pos = name.StartsWith("flip", StringComparison.Ordinal) ? int.Parse(name[13..], System.Globalization.CultureInfo.InvariantCulture) : -1;
                    var inDate = DatePattern.Matches(Encoding.Latin1.GetString(original)).Any(m => pos >= m.Index && pos < m.Index + m.Length);
                    inDate.Should().BeTrue($"{path} {name} gave OK with other facts:\n  was {baseline.FirstLine}\n  now {r.FirstLine}");
                }
            }
        }
        TestContext.Progress.WriteLine($"end-to-end generated collection-status cases: {cases}");
        cases.Should().BeGreaterThan(150);
    }

    [Test]
    public void Damaged_failed_run_logs_are_never_OK()
    {
        using var dir = new TempDir();
        var cases = 0;
        var seed = 100;
        var failed = new[]
        {
            "duplicity-0.8.22/gpg-no-passphrase-eoferror/01-backup-no-passphrase-cron-merged/output-merged.txt",
            "duplicity-2.2.4/backend-unreachable-sftp/02-backup-closed-port-cron-merged/output-merged.txt",
            "duplicity-3.1.0/destination-full-enospc",
            "duplicity-0.8.22/lock-contention",
        };
        foreach (var entry in failed)
        {
            var full = Path.Combine(RepoPaths.Fixtures, entry);
            var files = File.Exists(full) ? [full] : Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories)
                .Where(f => Path.GetFileName(f) is "output-merged.txt" or "log-fd3.txt" && File.ReadAllText(Path.Combine(Path.GetDirectoryName(f)!, "exit_code.txt")).Trim() != "0")
                .Order(StringComparer.Ordinal).Take(2).ToArray();
            foreach (var path in files)
            {
                var original = File.ReadAllBytes(path);
                var baseline = Checks.Run(Checks.Log, ["-l", path, "--now", Now]);
                baseline.ExitCode.Should().NotBe(0, $"{path} is a failed run: {baseline.FirstLine}");
                foreach (var (name, bytes) in Damaged(original, seed++, 3, 8))
                {
                    var damaged = Path.Combine(dir.Path, "job.log");
                    File.WriteAllBytes(damaged, bytes);
                    var r = Checks.Run(Checks.Log, ["-l", damaged, "--now", Now]);
                    cases++;
                    r.ExitCode.Should().NotBe(0, $"{path} {name}: a damaged failed run must not look like a success: {r.FirstLine}");
                }
            }
        }
        TestContext.Progress.WriteLine($"end-to-end generated log cases: {cases}");
        cases.Should().BeGreaterThan(50);
    }

    [Test]
    public void Damaged_ps_captures_end_in_a_state_without_stderr()
    {
        using var dir = new TempDir();
        var cases = 0;
        var files = Directory.EnumerateFiles(RepoPaths.Fixtures, "ps-eo-pid-ppid-user-lstart-etimes-args.txt", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(3);
        var seed = 200;
        foreach (var path in files)
            foreach (var (_, bytes) in Damaged(File.ReadAllBytes(path), seed++, 1, 10))
            {
                var damaged = Path.Combine(dir.Path, "ps.txt");
                File.WriteAllBytes(damaged, bytes);
                Checks.Run(Checks.Running, ["--ps-file", damaged, "--now", Now]);
                cases++;
            }
        TestContext.Progress.WriteLine($"end-to-end generated ps cases: {cases}");
        cases.Should().BeGreaterThan(30);
    }
}

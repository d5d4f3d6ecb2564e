using System.Globalization;
using System.Text;
using DuplicityChecks.Duplicity.Processes;
using DuplicityChecks.Duplicity.Tests.Processes;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Duplicity.Tests.Robustness;

/// <summary>
/// Generated bad process tables: every recorded ps capture through <see cref="PsCapture"/>, every recorded
/// /proc stat line through <see cref="ProcStat"/>, and generated /proc roots (the 0.8.22 live capture with one
/// file damaged per case: each process's cmdline, stat, status, wchan, the root's stat and locks) through
/// <see cref="ProcProcessSource"/> and <see cref="DuplicityProcessFinder"/>. Rule: a result or CheckException.
/// </summary>
public class ProcessTableRobustnessTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1795689256);

    public static readonly string[] PsFuture =
    [
        "   9999       1 root     Thu Nov 26 10:43:00 2026       5 /usr/bin/python3.14t /usr/bin/duplicity backup --new-option x /srv file:///t",
        "  99999999999  1 root     Thu Nov 26 10:43:00 2026       5 sleep",
        "   42       1 root     Mon Feb 30 10:43:00 2026       5 /usr/bin/duplicity full /srv file:///t",
        "   43       1 root     Sun Mar 29 02:30:00 2026       5 /usr/bin/duplicity full /srv file:///t",
    ];

    public static IEnumerable<string> PsFiles() => Directory.EnumerateFiles(RepoPaths.Fixtures, "ps-*.txt", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    public static IEnumerable<string> StatFiles() => Directory.EnumerateFiles(RepoPaths.Fixtures, "stat", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    public static IEnumerable<Mutant> PsCases()
    {
        var i = 0;
        foreach (var file in PsFiles())
            foreach (var m in Mutator.Of(Path.GetRelativePath(RepoPaths.Fixtures, file), File.ReadAllBytes(file), 3000 + i++, PsFuture))
                yield return m;
        var first = File.ReadAllBytes(PsFiles().First(f => f.Contains("lstart", StringComparison.Ordinal)));
        yield return Mutator.HugeLine("ps capture", first);
        yield return Mutator.MillionLines("ps capture", first, "      7       1 root     Thu Nov 26 10:43:00 2026       5 /usr/sbin/cron -f");
    }

    public static IEnumerable<Mutant> StatCases()
    {
        var i = 0;
        foreach (var file in StatFiles())
        {
            var bytes = File.ReadAllBytes(file);
            foreach (var m in Mutator.Of(Path.GetRelativePath(RepoPaths.Fixtures, file), bytes, 4000 + i++)) yield return m;
            // Numbers at the edges: every field in turn set to an overflowing or negative value.
            var fields = Encoding.UTF8.GetString(bytes).TrimEnd('\n').Split(' ');
            for (var f = 0; f < fields.Length; f++)
                foreach (var v in new[] { "18446744073709551615", "922337203685477580", "-1", "99999999999999999999999" })
                {
                    var copy = (string[])fields.Clone();
                    copy[f] = v;
                    var line = string.Join(' ', copy);
                    yield return new Mutant("edge-number", $"{file}: field {f} = {v}", () => Encoding.UTF8.GetBytes(line));
                }
        }
    }

    /// <summary>Which file of the live capture to damage, and how: every file of every process, the root's stat and locks.</summary>
    public static IEnumerable<(string File, Mutant Mutant)> ProcRootCases()
    {
        var root = Path.Combine(ProcFixtures.Live, "passphrase-wait", "proc");
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) is "cmdline" or "stat" or "status" or "wchan" or "locks" or "uptime")
            .Order(StringComparer.Ordinal).ToList();
        var i = 0;
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(root, file);
            var bytes = File.ReadAllBytes(file);
            // The flips and a sample of the truncations: each case copies a /proc tree to disk.
            foreach (var m in Mutator.Of(relative, bytes, 5000 + i++).Where((m, k) => m.Kind != "truncated" || k % 4 == 0))
                yield return (relative, m);
            if (Path.GetFileName(file) == "stat" && !relative.Contains('/'))
            {
                yield return (relative, new Mutant("edge-number", $"{relative}: btime overflow", () => "cpu 1 2\nbtime 99999999999999999\n"u8.ToArray()));
                yield return (relative, new Mutant("edge-number", $"{relative}: btime 1e12", () => "cpu 1 2\nbtime 1000000000000\n"u8.ToArray()));
            }
            if (Path.GetFileName(file) == "uptime")
                yield return (relative, new Mutant("edge-number", $"{relative}: uptime 1e300", () => "1e300 5.0\n"u8.ToArray()));
        }
    }

    [Test]
    public void Every_generated_ps_capture_parses_or_is_refused()
    {
        var contract = new ParserContract();
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        foreach (var m in PsCases())
            contract.Run(m, b => PsCapture.Parse(Lines(b), berlin, m.Description));
        contract.AssertClean("ps capture", 1000);
    }

    [Test]
    public void Every_generated_stat_line_parses_or_is_refused_and_gives_a_start_time()
    {
        var contract = new ParserContract();
        var boot = DateTimeOffset.FromUnixTimeSeconds(1795687443);
        foreach (var m in StatCases())
            contract.Run(m, b =>
            {
                var stat = ProcStat.TryParse(Encoding.UTF8.GetString(b));
                return stat is null ? (DateTimeOffset?)null : stat.StartUtc(boot);
            });
        contract.AssertClean("/proc stat", 500);
    }

    [Test]
    public void Every_generated_proc_root_is_scanned_or_refused()
    {
        var contract = new ParserContract();
        var source = Path.Combine(ProcFixtures.Live, "passphrase-wait", "proc");
        foreach (var (file, m) in ProcRootCases())
        {
            var root = ProcFixtures.TempDir();
            try
            {
                Copy(source, root);
                contract.Run(m, b =>
                {
                    File.WriteAllBytes(Path.Combine(root, file), b);
                    return DuplicityProcessFinder.Scan(new ProcProcessSource(root, Now), ProcessFilter.All, new FinderSeams { FileIdentity = _ => null });
                });
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
        }
        contract.AssertClean("/proc root", 300);
    }

    private static IEnumerable<string> Lines(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8);
        while (reader.ReadLine() is { } line) yield return line;
    }

    private static void Copy(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}

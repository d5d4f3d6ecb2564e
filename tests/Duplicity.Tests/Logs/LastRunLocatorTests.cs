using System.Text;
using DuplicityChecks.Duplicity.Logs;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Duplicity.Tests.Logs;

/// <summary>
/// Where <c>--scope last-run</c> starts its forward scan: the line of the second-to-last statistics heading,
/// found by reading backwards in growing blocks. Compared with a plain search over the whole file for logs of
/// recorded runs (English and German headings) cut at many points, with block sizes down to one byte, so that
/// headings fall across every block boundary and every growth step.
/// </summary>
public class LastRunLocatorTests
{
    private static readonly byte[][] Headings = ["[ Backup Statistics ]"u8.ToArray(), "[ Sicherungsstatistiken ]"u8.ToArray()];

    private static IEnumerable<byte[]> Logs()
    {
        var runs = FixtureLogs.All().Where(f => f.Form != "log-fd3").Select(f => f.Text).ToList();
        var withStatistics = runs.Where(t => t.Contains("[ Backup Statistics ]") || t.Contains("[ Sicherungsstatistiken ]")).ToList();
        withStatistics.Should().Contain(t => t.Contains("[ Sicherungsstatistiken ]"), "the German heading is among the recorded runs");
        var random = new Random(6);
        yield return [];
        yield return Encoding.UTF8.GetBytes(withStatistics[0]);
        for (var i = 0; i < 40; i++)
        {
            var text = new StringBuilder();
            var count = random.Next(1, 12);
            for (var r = 0; r < count; r++) text.Append(runs[random.Next(runs.Count)]);
            var bytes = Encoding.UTF8.GetBytes(text.ToString());
            yield return bytes;
            yield return bytes[..random.Next(bytes.Length + 1)]; // cut anywhere, even inside a heading
        }
    }

    private static long Reference(byte[] log)
    {
        var positions = new List<int>();
        foreach (var h in Headings)
            for (var at = log.AsSpan().IndexOf(h); at >= 0;)
            {
                positions.Add(at);
                var next = log.AsSpan(at + 1).IndexOf(h);
                at = next < 0 ? -1 : at + 1 + next;
            }
        if (positions.Count < 2) return 0;
        positions.Sort();
        var heading = positions[^2];
        return log.AsSpan(0, heading).LastIndexOf((byte)'\n') + 1;
    }

    [Test]
    public void Starts_at_the_line_of_the_second_to_last_heading_for_any_block_sizes()
    {
        var sizes = new (int First, int Max)[] { (1, 1), (1, 8), (3, 50), (16, 16), (20, 4096), (64, 1 << 20), (16 << 10, 1 << 20) };
        var compared = 0;
        foreach (var log in Logs())
        {
            var expected = Reference(log);
            foreach (var (first, max) in sizes)
            {
                using var stream = new MemoryStream(log, writable: false);
                var start = LastRunLocator.FindScanStart(stream, log.Length, out var bytesRead, first, max);
                start.Should().Be(expected, $"a log of {log.Length} bytes read in blocks of {first} growing to {max}");
                bytesRead.Should().BeLessThanOrEqualTo(log.Length + 4096L);
                compared++;
            }
        }
        compared.Should().BeGreaterThan(500);
    }

    [Test]
    public void A_big_log_with_small_runs_costs_a_few_small_blocks_from_its_end()
    {
        var run = FixtureLogs.All().First(f => f.Form == "stdout+stderr" && f.Text.Contains("[ Backup Statistics ]")).Text;
        var text = new StringBuilder();
        while (text.Length < 8 << 20) text.Append(run);
        var log = Encoding.UTF8.GetBytes(text.ToString());
        using var stream = new MemoryStream(log, writable: false);

        var start = LastRunLocator.FindScanStart(stream, log.Length, out var bytesRead);

        start.Should().Be(Reference(log));
        var lastTwoRuns = log.Length - start;
        lastTwoRuns.Should().BeLessThan(64 << 10, "the recorded run is a few KiB");
        bytesRead.Should().BeLessThanOrEqualTo(2 * lastTwoRuns + (16 << 10) + 4096,
            "the blocks double from 16 KiB: at most twice the bytes after the second-to-last heading, one first block and its line's start are read, not a 1 MiB block");
    }
}

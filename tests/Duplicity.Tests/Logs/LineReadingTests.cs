using System.Text;
using DuplicityChecks.Duplicity.Logs;
using DuplicityChecks.Duplicity.Tests.Golden;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Duplicity.Tests.Logs;

/// <summary>
/// The byte-level reading of single lines: kept lines decoded once and reused (<see cref="LineTextCache"/>), the
/// 8-byte pre-test of the prefix table, the stripping of time stamps and blanks. What the scanner makes of whole
/// logs is compared with its recording (<see cref="LogScanGoldenTests"/>).
/// </summary>
public class LineReadingTests
{
    [Test]
    public void Kept_line_texts_equal_decoding_them()
    {
        var cache = new LineTextCache();
        var random = new Random(6);
        string[] texts = ["Warning, found the following orphaned backup file:", " EOFError", "EOFError", "\u00a0x\u00a0", "\u2003wide\u2003", "", " ", "a", "ab", "ba"];
        var inputs = texts.Select(t => Encoding.UTF8.GetBytes(t)).ToList();
        inputs.Add([0xC3, 0x28]);
        inputs.Add([0xFF, 0x20, 0x41]);
        inputs.Add([0x20, 0xE2, 0x80]);
        inputs.Add(Encoding.UTF8.GetBytes(new string('y', 600)));
        for (var i = 0; i < 2000; i++)
        {
            var b = new byte[random.Next(0, 12)];
            random.NextBytes(b);
            for (var k = 0; k < b.Length; k++) if (random.Next(2) == 0) b[k] = (byte)" aA\t\r"[random.Next(5)];
            inputs.Add(b);
        }
        for (var round = 0; round < 3; round++)
            foreach (var b in inputs.OrderBy(_ => random.Next()))
            {
                cache.Text(b).Should().Be(Encoding.UTF8.GetString(b));
                cache.TrimmedText(b).Should().Be(Encoding.UTF8.GetString(b).Trim());
            }
    }

    [Test]
    public void Every_fixture_line_cut_at_every_length_classifies_as_recorded()
    {
        // Prefixes shorter and longer than the 8 bytes of the pre-test, and than each table prefix: one line per
        // distinct line, the lengths at which its class changes.
        var lines = FixtureLogs.All().SelectMany(l => l.Text.Split('\n')).Select(l => LinePatterns.Normalise(Encoding.UTF8.GetBytes(l)).ToArray())
            .Where(l => l.Length > 0).Select(l => l[..Math.Min(l.Length, 70)]).DistinctBy(Convert.ToHexString).OrderBy(Convert.ToHexString, StringComparer.Ordinal).ToList();
        lines.Should().HaveCountGreaterThan(1000);
        var golden = new StringBuilder();
        foreach (var line in lines)
        {
            golden.Append(LogScanDump.Escape(Encoding.UTF8.GetString(line))).Append(':');
            LineClass? last = null;
            for (var n = 1; n <= line.Length; n++)
            {
                var c = LinePatterns.Classify(line.AsSpan(0, n));
                if (c == last) continue;
                last = c;
                golden.Append(' ').Append(n).Append(' ').Append(c.Kind).Append(c.Failure is null ? "" : "/" + c.Failure.Name)
                    .Append(c.Phase == 0 ? "" : "/phase " + c.Phase).Append(c.Action is null ? "" : "/" + c.Action);
            }
            golden.Append('\n');
        }
        LinePatterns.Classify(ReadOnlySpan<byte>.Empty).Kind.Should().Be(LineKind.Blank);
        GoldenFile.Check("LineClasses", "fixture-lines.txt", golden.ToString());
    }

    [Test]
    public void Leading_blanks_and_tabs_are_stripped_as_TrimStart_strips_them(
        [Values("x", " x", "\tx", " \t x y ", "   ", "\t", "", "\u00a0x", "x\r", " \tLast full backup date: none\r")] string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        var expected = (bytes.Length > 0 && bytes[^1] == (byte)'\r' ? bytes[..^1] : bytes).AsSpan().TrimStart(" \t"u8).ToArray();
        LinePatterns.Normalise(bytes).ToArray().Should().Equal(expected);
    }
}

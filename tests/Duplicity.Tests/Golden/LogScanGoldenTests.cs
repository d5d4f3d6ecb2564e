using System.Security.Cryptography;
using System.Text;
using DuplicityChecks.Duplicity.Tests.Logs;
using DuplicityChecks.Duplicity.Tests.Robustness;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Duplicity.Tests.Golden;

/// <summary>
/// The log scanner against what it produced when recorded (<see cref="GoldenFile"/>): every recorded run in every
/// form, read whole and with buffers so small that lines are cut between reads and are longer than the buffer;
/// and every damaged variant the robustness tests make of it (cut at lines and inside lines, flipped bytes,
/// invalid UTF-8, NULs, CRLF, no final newline, a BOM, twice over, future lines), as a line with a digest of its
/// whole dump. Runs, offsets, counts, statistics, failure lines and the safe offset must be the same.
/// </summary>
public class LogScanGoldenTests
{
    private const string Family = "Logs";
    private static readonly int[] BufferSizes = [1, 7, 16, 17, 64, 4096];

    /// <summary>Each fixture log once, with the seed of its damaged variants (-1 for a copy of an earlier log).</summary>
    private static List<(FixtureLog Log, int Seed)> Inputs()
    {
        var seen = new HashSet<string>();
        var inputs = new List<(FixtureLog, int)>();
        var i = 0;
        foreach (var log in FixtureLogs.All().Where(l => l.Text.Length > 0))
            inputs.Add((log, seen.Add(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(log.Text)))) ? 6000 + i++ : -1));
        return inputs;
    }

    private static IEnumerable<TestCaseData> Cases()
        => Inputs().Select(x => new TestCaseData(x.Log.ToString(), x.Seed).SetName($"Fixture_log_reads_as_recorded({x.Log})"));

    [TestCaseSource(nameof(Cases))]
    public void Fixture_log_reads_as_recorded(string name, int seed)
    {
        var log = FixtureLogs.All().Single(l => l.ToString() == name);
        var bytes = Encoding.UTF8.GetBytes(log.Text);
        var dump = LogScanDump.Of(LogScanDump.Scan(bytes));
        foreach (var size in BufferSizes)
        {
            var cut = LogScanDump.Of(LogScanDump.Scan(bytes, size, b => new TrickleStream(b, size)));
            if (cut != dump) cut.Should().Be(dump, $"{name} with a {size}-byte buffer");
        }
        var text = new StringBuilder(dump);
        if (seed >= 0)
        {
            text.Append("\ndamaged variants:\n");
            foreach (var m in Mutator.Of(name, bytes, seed, LogRobustnessTests.FutureLines).Where((m, k) => m.Kind != "truncated" || k % 5 == 0))
            {
                var mutant = m.Bytes();
                var scan = LogScanDump.Scan(mutant);
                var mutantDump = LogScanDump.Of(scan);
                var cut = LogScanDump.Of(LogScanDump.Scan(mutant, 33, b => new TrickleStream(b, 33)));
                if (cut != mutantDump) cut.Should().Be(mutantDump, $"{m} with a 33-byte buffer");
                text.Append(m.Description[(name.Length + 2)..]).Append(": ").Append(LogScanDump.Summary(mutantDump, scan.Runs)).Append('\n');
            }
        }
        GoldenFile.Check(Family, GoldenFile.NameOf(name), text.ToString());
    }

    [Test]
    public void Every_fixture_log_has_its_recording()
        => GoldenFile.CheckComplete(Family, [.. Inputs().Select(x => GoldenFile.NameOf(x.Log.ToString())), .. Extra], 50);

    private static readonly string[] Extra = [GoldenFile.NameOf("open-blocks-at-the-end"), GoldenFile.NameOf("repeated-failure-lines")];

    [Test]
    public void Open_blocks_at_the_end_hold_back_the_safe_offset()
    {
        // A statistics block, a traceback and a machine stanza still open at the end, each after a complete run.
        const string run = "Local and Remote metadata are synchronized, no sync needed.\nLast full backup date: none\n";
        (string Tail, bool HeldBack)[] tails =
        [
            ("--------------[ Backup Statistics ]--------------\nStartTime 1795688184.00 (x)\nErrors 0\n", true),
            ("Traceback (most recent call last):\n  File \"/usr/bin/duplicity\", line 92, in <module>\n", true),
            ("ERROR 30 EOFError\n. Traceback (innermost last):\n", true),
            ("GnuPG passphrase for decryption: ", true),
            ("Warning, found the following orphaned backup file:\n[duplicity-inc.x.manifest]\n", false),
        ];
        var text = new StringBuilder();
        foreach (var (tail, heldBack) in tails)
        {
            var bytes = Encoding.UTF8.GetBytes(run + tail);
            var scan = LogScanDump.Scan(bytes);
            scan.Scanner.SafeOffset.Should().Be(heldBack ? Encoding.UTF8.GetByteCount(run) : bytes.Length, "an open block at the end is read again next time");
            var dump = LogScanDump.Of(scan);
            foreach (var size in BufferSizes)
                LogScanDump.Of(LogScanDump.Scan(bytes, size, b => new TrickleStream(b, size))).Should().Be(dump, $"'{tail.Split('\n')[0]}' with a {size}-byte buffer");
            text.Append("tail '").Append(LogScanDump.Escape(tail)).Append("':\n").Append(dump).Append('\n');
        }
        GoldenFile.Check(Family, Extra[0], text.ToString());
    }

    [Test]
    public void Repeated_failure_lines_give_the_texts_of_decoding_each_one()
    {
        // The same failure with its continuation line in run after run, with lines that collide in the cache of
        // kept lines, lines that differ only inside, invalid UTF-8 and trailing blanks of several kinds.
        var block = new StringBuilder();
        string[] continuations = ["[duplicity-inc.a.manifest]", "[duplicity-inc.b.manifest]", "  padded  ", "tab\t", "nbsp\u00a0", "ünïcode", "x"];
        for (var r = 0; r < 40; r++)
        {
            block.Append("Local and Remote metadata are synchronized, no sync needed.\n");
            block.Append("Warning, found the following orphaned backup file:\n");
            block.Append(continuations[r % continuations.Length]).Append('\n');
            block.Append(continuations[(r * 3 + 1) % continuations.Length]).Append('\n');
            block.Append("Traceback (innermost last):\n  File \"x\", line 1\n").Append(r % 2 == 0 ? " EOFError\n" : "EOFError  \n");
        }
        var bytes = Encoding.UTF8.GetBytes(block.ToString()).ToList();
        // Invalid UTF-8 inside one continuation line.
        var at = bytes.IndexOf((byte)'[');
        bytes.InsertRange(at + 1, new byte[] { 0xC3, 0x28, 0xFF });
        var dump = LogScanDump.Of(LogScanDump.Scan([.. bytes]));
        dump.Should().Contain("\\ufffd");
        foreach (var size in BufferSizes)
            LogScanDump.Of(LogScanDump.Scan([.. bytes], size, b => new TrickleStream(b, size))).Should().Be(dump, $"{size}-byte buffer");
        GoldenFile.Check(Family, Extra[1], dump);
    }
}

using System.Security.Cryptography;
using System.Text;
using DuplicityChecks.Duplicity.Logs;
using DuplicityChecks.Duplicity.Tests.Robustness;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Duplicity.Tests.Logs;

/// <summary>
/// The scanner's fast paths (issue 6, second round: blocks of 64 KiB, the safe offset set once per block, the
/// statistics and traceback states handled before the full state machine, kept lines decoded once and reused,
/// the 8-byte pre-test of the prefix table) against <see cref="LogScanner.PlainReading"/>, which takes none of
/// them: every recorded run in every form, damaged in every way the robustness tests damage it (cut at every
/// line and inside lines, flipped bytes and invalid UTF-8, NULs, CRLF, no final newline, a BOM, twice over,
/// future lines), read with buffers of many sizes so that lines are cut between reads and are longer than the
/// buffer. Runs, offsets, counts, statistics, failure lines and the safe offset must be the same.
/// </summary>
public class PlainReadingTests
{
    private static readonly int[] BufferSizes = [1, 7, 16, 17, 64, 4096, 1 << 16];

    [Test]
    public void Fast_paths_read_every_fixture_log_as_the_plain_reading_does()
    {
        var logs = 0;
        foreach (var log in FixtureLogs.All().Where(l => l.Text.Length > 0))
        {
            var bytes = Encoding.UTF8.GetBytes(log.Text);
            var expected = Describe(Plain(bytes));
            foreach (var size in BufferSizes)
                Describe(Fast(bytes, size)).Should().Be(expected, $"{log} with a {size}-byte buffer");
            logs++;
        }
        logs.Should().BeGreaterThan(50);
    }

    [Test]
    public void Fast_paths_read_damaged_logs_as_the_plain_reading_does()
    {
        var seen = new HashSet<string>();
        var compared = 0;
        var i = 0;
        foreach (var log in FixtureLogs.All())
        {
            var original = Encoding.UTF8.GetBytes(log.Text);
            if (original.Length == 0 || !seen.Add(Convert.ToHexString(SHA256.HashData(original)))) continue;
            foreach (var m in Mutator.Of(log.ToString(), original, 6000 + i++, LogRobustnessTests.FutureLines).Where((m, k) => m.Kind != "truncated" || k % 5 == 0))
            {
                var bytes = m.Bytes();
                var expected = Describe(Plain(bytes));
                foreach (var size in new[] { 16, 33, 1 << 16 })
                {
                    var actual = Describe(Fast(bytes, size));
                    if (actual != expected) actual.Should().Be(expected, $"{m} with a {size}-byte buffer");
                }
                compared++;
            }
        }
        compared.Should().BeGreaterThan(1000);
    }

    [Test]
    public void Open_blocks_at_the_end_hold_back_the_safe_offset_as_in_the_plain_reading()
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
        foreach (var (tail, heldBack) in tails)
        {
            var bytes = Encoding.UTF8.GetBytes(run + tail);
            var plain = Plain(bytes);
            plain.Scanner.SafeOffset.Should().Be(heldBack ? Encoding.UTF8.GetByteCount(run) : bytes.Length, "an open block at the end is read again next time");
            var expected = Describe(plain);
            foreach (var size in BufferSizes)
                Describe(Fast(bytes, size)).Should().Be(expected, $"'{tail.Split('\n')[0]}' with a {size}-byte buffer");
        }
    }

    [Test]
    public void Repeated_failure_lines_give_the_same_texts_as_decoding_each_one()
    {
        // The same failure with its continuation line in run after run, with lines that collide in the cache,
        // lines that differ only inside, invalid UTF-8 and trailing blanks of several kinds.
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
        var expected = Describe(Plain([.. bytes]));
        expected.Should().Contain("\uFFFD");
        foreach (var size in BufferSizes)
            Describe(Fast([.. bytes], size)).Should().Be(expected, $"{size}-byte buffer");
    }

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
    public void The_prefix_pre_test_classifies_as_the_plain_loop()
    {
        var lines = FixtureLogs.All().SelectMany(l => l.Text.Split('\n')).Distinct().Select(l => LinePatterns.Normalise(Encoding.UTF8.GetBytes(l)).ToArray()).ToList();
        // Every line cut at every length (prefixes shorter and longer than 8 bytes, and than each table prefix).
        var checkedLines = 0;
        foreach (var line in lines.Where(l => l.Length > 0))
            for (var n = 1; n <= Math.Min(line.Length, 70); n++)
            {
                LinePatterns.Classify(line.AsSpan(0, n)).Should().Be(LinePatterns.ClassifyPlain(line.AsSpan(0, n)), Encoding.UTF8.GetString(line, 0, n));
                checkedLines++;
            }
        checkedLines.Should().BeGreaterThan(10_000);
        LinePatterns.Classify(ReadOnlySpan<byte>.Empty).Kind.Should().Be(LineKind.Blank);
    }

    [Test]
    public void Leading_blanks_and_tabs_are_stripped_as_TrimStart_strips_them(
        [Values("x", " x", "\tx", " \t x y ", "   ", "\t", "", "\u00a0x", "x\r", " \tLast full backup date: none\r")] string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        var expected = (bytes.Length > 0 && bytes[^1] == (byte)'\r' ? bytes[..^1] : bytes).AsSpan().TrimStart(" \t"u8).ToArray();
        LinePatterns.Normalise(bytes).ToArray().Should().Equal(expected);
    }

    private static (List<LogRun> Runs, LogScanner Scanner) Plain(byte[] bytes)
    {
        var runs = new List<LogRun>();
        var scanner = LogScanner.PlainReading(runs.Add);
        scanner.Scan(new MemoryStream(bytes));
        scanner.Finish();
        return (runs, scanner);
    }

    private static (List<LogRun> Runs, LogScanner Scanner) Fast(byte[] bytes, int bufferSize)
    {
        var runs = new List<LogRun>();
        var scanner = new LogScanner(runs.Add, bufferSize: bufferSize);
        scanner.Scan(new TrickleStream(bytes, bufferSize));
        scanner.Finish();
        return (runs, scanner);
    }

    private static string Describe((List<LogRun> Runs, LogScanner Scanner) scan)
        => $"safe={scan.Scanner.SafeOffset} lines={scan.Scanner.Lines} bytes={scan.Scanner.BytesScanned} orphans={scan.Scanner.OrphanLines} runs={scan.Scanner.RunCount}\n"
           + string.Join('\n', scan.Runs.Select(r =>
               $"{r.Index} {r.StartOffset}-{r.EndOffset} {r.End} {r.FatalFamily} {r.Action} {r.MaxPhase} {r.RecognisedLines}/{r.UnknownLines} machine={r.IsMachineLog} "
               + $"backup={r.SawBackupLine} prompt={r.EndsAtPassphrasePrompt} verify={r.VerifyDifferences} stats={Statistics(r.Statistics)} "
               + string.Join(';', r.Hits.Select(h => $"{h.Failure.Name}x{h.Count}@{h.Offset}{(h.FromMachineLog ? "m" : "")}:{string.Join('|', h.Lines)}"))));

    private static string Statistics(BackupStatistics? s) => s is null
        ? "-"
        : string.Join(',', Bits(s.StartTime), Bits(s.EndTime), Bits(s.ElapsedTime), s.SourceFiles, s.SourceFileSize, s.NewFiles, s.NewFileSize,
            s.DeletedFiles, s.ChangedFiles, s.ChangedFileSize, s.ChangedDeltaSize, s.DeltaEntries, s.RawDeltaSize, s.TotalDestinationSizeChange,
            s.Errors, s.Closed);

    private static string Bits(double? d) => d is { } v ? BitConverter.DoubleToInt64Bits(v).ToString("x") : "-";
}

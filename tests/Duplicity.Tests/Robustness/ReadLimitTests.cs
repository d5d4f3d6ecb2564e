using System.Text;
using DuplicityChecks.Duplicity.CollectionStatus;
using DuplicityChecks.Duplicity.Jobs;
using DuplicityChecks.Duplicity.Locks;
using DuplicityChecks.Duplicity.Logs;
using DuplicityChecks.Duplicity.Processes;
using DuplicityChecks.Duplicity.Text;
using DuplicityChecks.Plugin;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Duplicity.Tests.Robustness;

/// <summary>
/// Every reader stops at its limit with a <see cref="CheckException"/> that names the input and the limit (issue
/// 15, item 8), on real files and on /dev/zero (endless, no length); and input just within a limit still reads.
/// The process-level bound (peak RSS) is asserted end to end (EndToEnd.Tests, MemoryBoundTests).
/// </summary>
public class ReadLimitTests
{
    /// <summary>Hands out 'x' without end: no line end, no length, as /dev/zero for a TextReader.</summary>
    private sealed class EndlessReader : TextReader
    {
        public long Handed { get; private set; }

        public override int Read(char[] buffer, int index, int count)
        {
            buffer.AsSpan(index, count).Fill('x');
            Handed += count;
            return count;
        }
    }

    /// <summary>Zero bytes without end, as a FIFO that never stops.</summary>
    private sealed class EndlessStream : ForwardReadStream
    {
        public long Handed { get; private set; }

        public override int Read(Span<byte> buffer)
        {
            buffer.Clear();
            Handed += buffer.Length;
            return buffer.Length;
        }
    }

    private static List<string> Lines(SpanLineReader reader)
    {
        var lines = new List<string>();
        while (reader.TryReadLine(out var line)) lines.Add(line.ToString());
        return lines;
    }

    [Test]
    public void An_endless_line_stops_at_the_limit_and_names_it()
    {
        var endless = new EndlessReader();
        using var reader = new SpanLineReader(endless, maxLineLength: 64 * 1024, source: "status file S");
        var read = () => reader.TryReadLine(out _);
        read.Should().Throw<CheckException>().WithMessage("status file S: line 1 is longer than the 64 KiB read limit for one line");
        endless.Handed.Should().BeLessThan(256 * 1024, "no more is read than the limit needs");
    }

    [Test]
    public void A_line_of_exactly_the_limit_reads_and_one_more_character_does_not()
    {
        using (var reader = new SpanLineReader(new StringReader("a\n" + new string('y', 1000) + "\nb"), maxLineLength: 1000))
            Lines(reader).Should().Equal("a", new string('y', 1000), "b");
        using (var reader = new SpanLineReader(new StringReader(new string('y', 1000)), maxLineLength: 1000))
            Lines(reader).Should().Equal(new string('y', 1000));
        using (var reader = new SpanLineReader(new StringReader("a\nb\n" + new string('y', 1001) + "\n"), maxLineLength: 1000, source: "X"))
            ((Action)(() => Lines(reader))).Should().Throw<CheckException>().WithMessage("X: line 3 is longer than the 1000 B read limit for one line");
        using (var reader = new SpanLineReader(new StringReader(new string('y', 1001)), maxLineLength: 1000, source: "X"))
            ((Action)(() => Lines(reader))).Should().Throw<CheckException>().WithMessage("X: line 1 is *");
    }

    [Test]
    public void Replayed_lines_come_first_and_keep_the_line_numbers()
    {
        using var reader = new SpanLineReader(new StringReader("a\nb\nc\n" + new string('y', 20) + "\n"), maxLineLength: 10, source: "X");
        reader.TryReadLine(out var a).Should().BeTrue();
        var first = a.ToString();
        reader.TryReadLine(out var b).Should().BeTrue();
        reader.Replay([first, b.ToString()]);
        reader.TryReadLine(out var again).Should().BeTrue();
        again.ToString().Should().Be("a");
        reader.TryReadLine(out again).Should().BeTrue();
        again.ToString().Should().Be("b");
        reader.TryReadLine(out again).Should().BeTrue();
        again.ToString().Should().Be("c");
        ((Action)(() => reader.TryReadLine(out _))).Should().Throw<CheckException>().WithMessage("X: line 4 is *");
    }

    [Test]
    public void A_status_file_that_is_dev_zero_is_unknown_naming_the_line_limit()
    {
        var read = () => StatusFileReader.Read("/dev/zero", TimeZoneInfo.Utc);
        read.Should().Throw<CheckException>().WithMessage("status file /dev/zero: line 1 is longer than the 64 KiB read limit for one line");
    }

    [Test]
    public void A_status_file_over_the_size_limit_is_unknown_naming_it()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "status.txt");
        using (var f = File.Create(path))
        {
            var blanks = new byte[1 << 20];
            blanks.AsSpan().Fill((byte)'\n');
            for (var i = 0; i <= ReadLimits.StatusFileBytes >> 20; i++) f.Write(blanks);
        }
        var read = () => StatusFileReader.Read(path, TimeZoneInfo.Utc);
        read.Should().Throw<CheckException>().WithMessage($"status file {path} exceeds the 16 MiB read limit");
    }

    [Test]
    public void A_status_file_just_within_the_limits_still_reads()
    {
        // A listing with a 60,000-character line (a long archive-dir path) before its rows: it parses.
        var fixture = Path.Combine(RepoPaths.Fixtures, "duplicity-3.1.0", "full-plus-incrementals", "06-collection-status-logfd", "log-fd3.txt");
        using var dir = new TempDir();
        var text = File.ReadAllText(fixture).Replace(". Archive dir: ", ". Archive dir: /" + new string('d', 60_000));
        var path = dir.File("status.txt", text);
        StatusFileReader.Read(path, TimeZoneInfo.Utc).Chains.Should().NotBeEmpty();
    }

    [Test]
    public void A_log_line_over_the_limit_is_unknown_naming_its_offset()
    {
        var log = new MemoryStream();
        log.Write("Local and Remote metadata are synchronized, no sync needed.\n"u8);
        var offset = log.Length;
        log.Write(new byte[ReadLimits.LogLineBytes + 1]);
        log.Write("\n"u8);
        log.Position = 0;
        var scan = () => new LogScanner(_ => { }).Scan(log);
        scan.Should().Throw<CheckException>().WithMessage($"log line longer than 1 MiB (the read limit for one line) at offset {offset}");
    }

    [Test]
    public void A_log_line_of_exactly_the_limit_is_read()
    {
        var log = new MemoryStream();
        log.Write(new byte[ReadLimits.LogLineBytes]);
        log.Write("\nLocal and Remote metadata are synchronized, no sync needed.\n"u8);
        log.Position = 0;
        var scanner = new LogScanner(_ => { });
        scanner.Scan(log);
        scanner.Lines.Should().Be(2);
    }

    [Test]
    public void An_endless_log_stream_stops_at_the_line_limit()
    {
        var endless = new EndlessStream();
        var scan = () => new LogScanner(_ => { }).Scan(endless);
        scan.Should().Throw<CheckException>().WithMessage("log line longer than 1 MiB * at offset 0");
        endless.Handed.Should().BeLessThan(4L << 20);
    }

    [Test]
    public void A_ps_capture_that_is_dev_zero_is_unknown_naming_the_line_limit()
    {
        var read = () => PsCapture.Read("/dev/zero");
        read.Should().Throw<CheckException>().WithMessage("ps capture /dev/zero: line 1 is longer than the 1 MiB read limit for one line");
    }

    [Test]
    public void A_ps_capture_over_the_size_limit_is_unknown_naming_it()
    {
        using var dir = new TempDir();
        var line = "   1574    1573 root     Thu Nov 26 10:43:00 2026       5 /usr/bin/python3 /usr/bin/duplicity full /src file:///dst\n";
        var text = new StringBuilder();
        for (var i = 0; text.Length <= ReadLimits.PsCaptureBytes; i++) text.Append(line);
        var path = dir.File("ps.txt", text.ToString());
        var read = () => PsCapture.Read(path);
        read.Should().Throw<CheckException>().WithMessage($"ps capture {path} exceeds the 2 MiB read limit");
    }

    [Test]
    public void A_ps_capture_of_many_short_arguments_is_unknown_naming_the_argument_limit()
    {
        using var dir = new TempDir();
        var args = string.Join(' ', Enumerable.Repeat("a", 100_000));
        var text = string.Concat(Enumerable.Range(0, 3).Select(i => $"   {100 + i}       1 root     Thu Nov 26 10:43:00 2026       5 /bin/x {args}\n"));
        var path = dir.File("ps.txt", text);
        var read = () => PsCapture.Read(path);
        read.Should().Throw<CheckException>().WithMessage($"ps capture {path} has more than 200000 command-line arguments, the read limit");
    }

    [Test]
    public void A_lock_table_that_is_dev_zero_is_unknown_naming_the_limit()
    {
        using var dir = new TempDir();
        File.CreateSymbolicLink(Path.Combine(dir.Path, "locks"), "/dev/zero");
        var read = () => ProcLocks.Read(dir.Path);
        read.Should().Throw<CheckException>().WithMessage($"lock table {Path.Combine(dir.Path, "locks")}: line 1 is longer than the 64 KiB read limit for one line");
    }

    [Test]
    public void A_job_file_that_is_dev_zero_is_refused_without_reading_it()
    {
        var load = () => JobConfigReader.Load("/dev/zero", "x");
        load.Should().Throw<CheckException>().WithMessage("config /dev/zero is not a regular file");
    }

    [Test]
    public void A_job_file_over_the_limit_is_unknown_naming_the_limit()
    {
        using var dir = TempDir.InTrustedFolder();
        var path = dir.File("jobs.ini", "[job:x]\n" + new string(';', 2 << 20) + "\n");
        var load = () => JobConfigReader.Load(path, "x");
        load.Should().Throw<CheckException>().WithMessage($"config {path} exceeds the 1 MiB read limit");
    }

    [Test]
    public void A_job_file_line_that_is_not_ini_is_not_quoted()
    {
        using var dir = TempDir.InTrustedFolder();
        var path = dir.File("jobs.ini", "[job:x]\ndestination = file:///d\nhunter2-the-passphrase\n");
        var load = () => JobConfigReader.Load(path, "x");
        load.Should().Throw<CheckException>().Which.Message.Should().NotContain("hunter2").And.StartWith($"config {path} is not a valid INI file");
    }
}

using System.Globalization;
using System.Text;
using DuplicityChecks.Plugin;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Plugin.Tests;

public class LogTailTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("logtail-test-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string Log => Path.Combine(_dir, "backup.log");
    private string State => Path.Combine(_dir, "state", "backup.state");

    private void Append(string text) => File.AppendAllText(Log, text);

    /// <summary>One check: reads what is new, consumes complete lines only, saves the position.</summary>
    private (string Text, long BytesRead, string Explanation) Check()
    {
        using var state = StateFile.Open(State, TimeSpan.FromSeconds(5));
        var previous = LogTailPosition.Load(state, out _);
        using var tail = LogTail.Open(Log, previous);
        using var reader = tail.OpenReader();
        using var memory = new MemoryStream();
        reader.CopyTo(memory);
        var bytes = memory.ToArray();
        var consumed = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        tail.PositionAfter(consumed).Save(state);
        state.Commit();
        return (Encoding.UTF8.GetString(bytes, 0, consumed), tail.BytesRead, tail.Explanation);
    }

    [Test]
    public void The_first_check_reads_everything_and_the_next_only_what_was_appended()
    {
        Append("one\ntwo\n");
        Check().Text.Should().Be("one\ntwo\n");
        Check().Text.Should().BeEmpty();
        Append("three\n");
        var third = Check();
        third.Text.Should().Be("three\n");
        third.BytesRead.Should().Be(6);
    }

    [Test]
    public void A_last_line_still_being_written_is_not_consumed_until_its_newline_arrives()
    {
        Append("done\nGiving up after 5 att");
        Check().Text.Should().Be("done\n");
        Append("empts. OSError: No space left on device\n");
        Check().Text.Should().Be("Giving up after 5 attempts. OSError: No space left on device\n");
    }

    [Test]
    public void Rename_rotation_reads_the_rest_of_the_old_file_then_the_new_one()
    {
        Append("old 1\n");
        Check();
        Append("old 2 (written after the check, before the rotation)\n");
        File.Move(Log, Log + ".1");
        Append("new 1\n");
        var after = Check();
        after.Text.Should().Be("old 2 (written after the check, before the rotation)\nnew 1\n");
        after.Explanation.Should().Contain("rotated");
        Append("new 2\n");
        Check().Text.Should().Be("new 2\n");
    }

    [Test]
    public void Copytruncate_reads_the_rest_from_the_copy_then_the_log_from_the_start()
    {
        Append("old 1\n");
        Check();
        Append("old 2\n");
        File.Copy(Log, Log + "-20261126");
        using (var f = new FileStream(Log, FileMode.Open, FileAccess.Write)) f.SetLength(0); // same inode, emptied
        Append("new 1\n");
        var after = Check();
        after.Text.Should().Be("old 2\nnew 1\n");
        after.Explanation.Should().Contain("-20261126 from byte 6");
    }

    [Test]
    public void Truncation_without_a_copy_reads_from_the_start()
    {
        Append("a long first line of the old content\n");
        Check();
        using (var f = new FileStream(Log, FileMode.Open, FileAccess.Write)) f.SetLength(0);
        Append("new\n");
        Check().Text.Should().Be("new\n");
    }

    [Test]
    public void A_log_rewritten_in_place_with_other_first_bytes_is_read_from_the_start()
    {
        Append("first version\n");
        Check();
        File.WriteAllText(Log, "second version, longer than the first\n"); // same inode, size beyond the old offset
        Check().Text.Should().Be("second version, longer than the first\n");
    }

    [Test]
    public void A_state_for_another_file_identity_falls_back_to_reading_everything()
    {
        Append("x\n");
        using var tail = LogTail.Open(Log, new LogTailPosition(1, 2, 1, new string('0', 64), 1));
        tail.StartOffset.Should().Be(0);
        tail.PendingBytes.Should().Be(2);
    }

    [Test]
    public void The_identity_of_an_open_file_is_its_device_and_inode()
    {
        Append("x\n");
        using var tail = LogTail.Open(Log, null);
        tail.Status.Inode.Should().BeGreaterThan(0);
        var named = FileStatus.OfName(Log)!.Value;
        (tail.Status.Device, tail.Status.Inode).Should().Be((named.Device, named.Inode));
    }

    // A log position saved before the identity came from statx held fstat's st_dev as the device: such a state
    // file must still give the same position (not "rotated": the whole log read again), and a new one the same numbers.

    /// <summary>The state file as the fstat version wrote it after reading <paramref name="read"/> bytes of the log.</summary>
    private string OldStateFile(byte[] log, int read, bool withRewriteFields)
    {
        var (device, inode) = TestNativeMethods.StatIdentityOf(Log) ?? throw new InvalidOperationException("lstat failed");
        var first = Math.Min(log.Length, LogTail.FingerprintSize);
        var before = Math.Min(read, LogTail.FingerprintSize);
        var lines = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["device"] = device.ToString(CultureInfo.InvariantCulture),
            ["inode"] = inode.ToString(CultureInfo.InvariantCulture),
            ["offset"] = read.ToString(CultureInfo.InvariantCulture),
            ["fingerprint"] = Hashes.Sha256Hex(log.AsSpan(0, first)),
            ["fingerprint_length"] = first.ToString(CultureInfo.InvariantCulture),
        };
        if (withRewriteFields)
        {
            lines["before_offset"] = Hashes.Sha256Hex(log.AsSpan(read - before, before));
            lines["before_offset_length"] = before.ToString(CultureInfo.InvariantCulture);
            lines["size"] = log.Length.ToString(CultureInfo.InvariantCulture);
            using var handle = File.OpenHandle(Log);
            lines["ctime_ns"] = FileStatus.Of(handle).ChangedNs.ToString(CultureInfo.InvariantCulture);
        }
        return StateFile.Header + "\n" + string.Concat(lines.Select(l => $"{l.Key}={l.Value}\n")) + StateFile.Trailer + "\n";
    }

    [TestCase(true)]
    [TestCase(false)]
    public void A_state_file_with_fstats_device_continues_at_its_offset(bool withRewriteFields)
    {
        var log = Encoding.UTF8.GetBytes("Errors 0\nLast full backup date: none\n");
        File.WriteAllBytes(Log, log);
        Directory.CreateDirectory(Path.GetDirectoryName(State)!);
        File.WriteAllText(State, OldStateFile(log, log.Length, withRewriteFields));
        File.AppendAllText(Log, "Errors 3\n");

        using var state = StateFile.Open(State, TimeSpan.FromSeconds(5));
        state.CorruptReason.Should().BeNull();
        var previous = LogTailPosition.Load(state, out var problem);
        problem.Should().BeNull();
        using var tail = LogTail.Open(Log, previous);

        tail.Explanation.Should().Be($"continuing at byte {log.Length}");
        tail.StartOffset.Should().Be(log.Length);
        tail.Restarted.Should().BeNull();
        using var memory = new MemoryStream();
        using (var reader = tail.OpenReader()) reader.CopyTo(memory);
        Encoding.UTF8.GetString(memory.ToArray()).Should().Be("Errors 3\n");
    }

    [Test]
    public void A_saved_position_holds_the_device_and_inode_as_stat_reports_them()
    {
        File.WriteAllText(Log, "Errors 0\n");
        using (var state = StateFile.Open(State, TimeSpan.FromSeconds(5)))
        {
            using var tail = LogTail.Open(Log, null);
            tail.PositionAfter(tail.PendingBytes).Save(state);
            state.Commit();
        }
        var (device, inode) = TestNativeMethods.StatIdentityOf(Log)!.Value;
        var saved = File.ReadAllLines(State);
        saved.Should().Contain($"device={device.ToString(CultureInfo.InvariantCulture)}");
        saved.Should().Contain($"inode={inode.ToString(CultureInfo.InvariantCulture)}");
    }
}

using System.Text;
using DuplicityChecks.Plugin;

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
}

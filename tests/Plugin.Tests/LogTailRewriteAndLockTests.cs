using System.Text;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Plugin.Tests;

/// <summary>
/// The log tail against a log rewritten in place (issue 15 item 5), a half-written last line (item 4) and a log
/// another process holds an exclusive flock on (item 9), on real files.
/// </summary>
public class LogTailRewriteAndLockTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("logtail-rewrite-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string Log => Path.Combine(_dir, "backup.log");
    private string State => Path.Combine(_dir, "state", "backup.state");

    /// <summary>One check, as the log check makes it: complete lines only, the position saved after them.</summary>
    private (string Text, LogTail Tail) Check()
    {
        using var state = StateFile.Open(State, TimeSpan.FromSeconds(5));
        var previous = LogTailPosition.Load(state, out _);
        var tail = LogTail.Open(Log, previous);
        using var memory = new MemoryStream();
        using (var reader = tail.OpenReader()) reader.CopyTo(memory);
        state.Clear();
        tail.PositionAfter(memory.Length).Save(state);
        state.Commit();
        tail.Dispose();
        return (Encoding.UTF8.GetString(memory.ToArray()), tail);
    }

    private static string Head => "Local and Remote metadata are synchronized, no sync needed.\n" + new string('=', 300) + "\n";

    [Test]
    public void New_content_with_the_same_first_bytes_and_longer_than_the_offset_is_read_from_the_start()
    {
        File.WriteAllText(Log, Head + "Last full backup date: none\nErrors 0\n");
        Check();
        var rewritten = Head + "Last full backup date: none\nGiving up after 5 attempts. OSError: [Errno 28] No space left on device\n";
        File.WriteAllText(Log, rewritten); // same inode, same first 256 bytes, longer than the saved offset
        var (text, tail) = Check();
        text.Should().Be(rewritten);
        tail.Restarted.Should().Be($"{Log} was rewritten in place (other bytes before byte {Head.Length + 37}) since the last check: read again from the start");
    }

    [Test]
    public void The_same_size_rewritten_in_place_is_read_from_the_start()
    {
        // The change is neither in the first 256 bytes nor in the 256 before the offset: only size and ctime tell.
        string Text(char errors) => Head + $"Errors {errors}\n" + new string('-', 400) + "\n";
        File.WriteAllText(Log, Text('0'));
        Check();
        Thread.Sleep(20); // ctime has nanoseconds, but the file system's clock ticks in jiffies
        File.WriteAllText(Log, Text('9'));
        var (text, tail) = Check();
        text.Should().Be(Text('9'));
        tail.Restarted.Should().Contain("rewritten in place (changed without growing)");
    }

    [Test]
    public void A_log_that_only_grew_continues_and_says_nothing()
    {
        File.WriteAllText(Log, Head);
        Check();
        File.AppendAllText(Log, "more\n");
        var (text, tail) = Check();
        text.Should().Be("more\n");
        tail.Restarted.Should().BeNull();
    }

    [Test]
    public void A_shorter_log_than_last_time_is_read_from_the_start_even_when_it_is_longer_than_the_offset()
    {
        File.WriteAllText(Log, Head + "Last full backup date: none\nunfinished");
        Check().Text.Should().Be(Head + "Last full backup date: none\n");
        File.WriteAllText(Log, Head + "Last full backup date: none\nu"); // shorter than the size seen, longer than the offset
        Check().Tail.Restarted.Should().Contain("truncated (shorter than the");
    }

    [Test]
    public void A_state_of_the_older_format_still_continues()
    {
        File.WriteAllText(Log, Head);
        using (var state = StateFile.Open(State, TimeSpan.FromSeconds(5)))
        {
            var tail = LogTail.Open(Log, null);
            var p = tail.PositionAfter(Head.Length);
            tail.Dispose();
            new LogTailPosition(p.Device, p.Inode, p.Offset, p.Fingerprint, p.FingerprintLength).Save(state); // no size, ctime, before_offset
            state.Commit();
        }
        File.AppendAllText(Log, "more\n");
        Check().Text.Should().Be("more\n");
    }

    [Test]
    public void A_half_written_last_line_is_neither_handed_out_nor_consumed()
    {
        File.WriteAllText(Log, "one\nGiving up after 5 att");
        var (text, tail) = Check();
        text.Should().Be("one\n");
        tail.CompleteLength.Should().Be(4);
        File.AppendAllText(Log, "empts\n");
        Check().Text.Should().Be("Giving up after 5 attempts\n");
    }

    [Test]
    public void The_unfinished_line_can_be_looked_at_and_read_without_being_consumed()
    {
        File.WriteAllText(Log, "one\nGnuPG passphrase for decryption: ");
        using var tail = LogTail.Open(Log, null);
        Encoding.UTF8.GetString(tail.UnfinishedLine()!).Should().Be("GnuPG passphrase for decryption: ");
        using var memory = new MemoryStream();
        using (var reader = tail.OpenReader(withUnfinishedLine: true)) reader.CopyTo(memory);
        memory.Length.Should().Be(new FileInfo(Log).Length);
        tail.PositionAfter(memory.Length).Offset.Should().Be(4, "never past an unfinished line");
    }

    [Test]
    public void A_log_locked_exclusively_by_another_open_is_read()
    {
        File.WriteAllText(Log, "line\n");
        // FileShare.None: .NET takes flock(LOCK_EX) on the descriptor, as flock(1) around a backup job does.
        using var holder = new FileStream(Log, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        Check().Text.Should().Be("line\n");
        using (var handle = UnlockedFile.OpenHandle(Log)) FileStatus.Of(handle).IsRegularFile.Should().BeTrue();
        using var plain = UnlockedFile.OpenRead(Log);
        plain.ReadByte().Should().Be('l');
    }

    [Test]
    public void A_missing_file_is_the_exception_a_FileStream_throws()
    {
        var act = () => UnlockedFile.OpenRead(Path.Combine(_dir, "absent.log"));
        act.Should().Throw<FileNotFoundException>();
    }

    [Test]
    public void A_directory_is_refused_as_a_FileStream_refuses_it()
    {
        var act = () => UnlockedFile.OpenRead(_dir);
        act.Should().Throw<UnauthorizedAccessException>();
    }

    [Test]
    public void Times_come_from_the_open_file()
    {
        File.WriteAllText(Log, "12345\n");
        using var f = UnlockedFile.OpenRead(Log);
        var times = FileStatus.Of(f.SafeFileHandle);
        times.Size.Should().Be(6);
        times.ModifiedUtc.Should().BeCloseTo(File.GetLastWriteTimeUtc(Log), TimeSpan.FromMilliseconds(1));
        times.ChangedNs.Should().BeGreaterThan(0);
    }
}

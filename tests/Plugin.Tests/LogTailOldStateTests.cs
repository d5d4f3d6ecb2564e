using System.Globalization;
using System.Text;
using DuplicityChecks.Plugin;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Plugin.Tests;

/// <summary>
/// A log position saved before the identity came from statx: the device was fstat's st_dev. Such a state file
/// must still give the same position (not "rotated": read whole again), and a new one holds the same numbers.
/// </summary>
public class LogTailOldStateTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("logtail-old-state-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string Log => Path.Combine(_dir, "backup.log");
    private string State => Path.Combine(_dir, "state", "backup.state");

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

using System.Text;
using DuplicityChecks.Duplicity.Processes;

namespace DuplicityChecks.Duplicity.Tests.Processes;

/// <summary>
/// The open/read/close path the process table reads every cmdline with: the same bytes as the runtime's file API
/// (on real /proc files too), -1 for what cannot be read, and paths built without a string.
/// </summary>
public class RawFileReadTests
{
    private string _root = "";

    [SetUp]
    public void SetUp() => _root = ProcFixtures.TempDir();

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    private static byte[] Path0(string path) => Encoding.UTF8.GetBytes(path + "\0");

    [Test]
    public void A_file_shorter_than_the_buffer_is_read_whole()
    {
        var path = Path.Combine(_root, "cmdline");
        File.WriteAllBytes(path, "/usr/bin/duplicity\0full\0"u8.ToArray());
        var buffer = new byte[64];

        var n = RawFileRead.ReadInto(Path0(path), buffer, out var full);

        n.Should().Be(24);
        full.Should().BeFalse();
        buffer.AsSpan(0, n).ToArray().Should().Equal("/usr/bin/duplicity\0full\0"u8.ToArray());
    }

    [TestCase(10, 10, true)]
    [TestCase(10, 9, true)]
    [TestCase(10, 11, false)]
    [TestCase(0, 4, false)]
    public void A_file_that_fills_the_buffer_says_so(int fileBytes, int bufferBytes, bool expectedFull)
    {
        var path = Path.Combine(_root, "f");
        File.WriteAllBytes(path, Enumerable.Range(1, fileBytes).Select(i => (byte)i).ToArray());
        var buffer = new byte[bufferBytes];

        var n = RawFileRead.ReadInto(Path0(path), buffer, out var full);

        n.Should().Be(Math.Min(fileBytes, bufferBytes));
        full.Should().Be(expectedFull);
        buffer.AsSpan(0, n).ToArray().Should().Equal(Enumerable.Range(1, n).Select(i => (byte)i));
    }

    [Test]
    public void Missing_files_and_directories_are_minus_one()
    {
        RawFileRead.ReadInto(Path0(Path.Combine(_root, "no-such")), new byte[16], out _).Should().Be(-1);
        RawFileRead.ReadInto(Path0(_root), new byte[16], out _).Should().Be(-1);
    }

    [Test]
    public void Real_proc_files_read_as_the_runtime_reads_them()
    {
        foreach (var name in new[] { "cmdline", "stat", "status", "environ" })
        {
            var path = $"/proc/{Environment.ProcessId}/{name}";
            var expected = File.ReadAllBytes(path);
            var buffer = new byte[expected.Length + 4096];

            var n = RawFileRead.ReadInto(Path0(path), buffer, out var full);

            full.Should().BeFalse(name);
            // stat and status change while the test runs (times, memory): compare what does not.
            if (name is "cmdline" or "environ") buffer.AsSpan(0, n).ToArray().Should().Equal(expected, name);
            else Encoding.ASCII.GetString(buffer, 0, n).Should().StartWith(Encoding.ASCII.GetString(expected)[..5], name);
        }
    }

    [TestCase(0, 100)]
    [TestCase(100, 100)]
    [TestCase(4095, 1 << 20)]
    [TestCase(4096, 1 << 20)]
    [TestCase(4097, 1 << 20)]
    [TestCase(70_000, 1 << 20)]
    [TestCase(70_000, 65_536)]
    [TestCase(70_000, 16_384)]
    [TestCase(101, 100)]
    public void Whole_files_are_read_up_to_the_limit(int fileBytes, int maxBytes)
    {
        var path = Path.Combine(_root, "f");
        var content = Enumerable.Range(0, fileBytes).Select(i => (byte)(i * 7)).ToArray();
        File.WriteAllBytes(path, content);

        var bytes = RawFileRead.ReadBytes(Path0(path), maxBytes, out var truncated);

        bytes.Should().Equal(content.Take(maxBytes));
        truncated.Should().Be(fileBytes > maxBytes);
    }

    [Test]
    public void Whole_file_reads_of_what_cannot_be_read_are_null()
    {
        RawFileRead.ReadBytes(Path0(Path.Combine(_root, "no-such")), 100, out _).Should().BeNull();
        RawFileRead.ReadBytes(Path0(_root), 100, out _).Should().BeNull();
        ProcFiles.ReadBytes("", 100, out _).Should().BeNull();
        ProcFiles.ReadBytes(_root + "/x\0y", 100, out _).Should().BeNull();
    }

    [Test]
    public void Whole_real_proc_files_read_as_the_runtime_reads_them()
    {
        // environ is often longer than the first 4 KiB buffer; maps is a seq_file that fills a read page by page.
        foreach (var name in new[] { "environ", "cmdline", "maps" })
        {
            var path = $"/proc/{Environment.ProcessId}/{name}";
            var expected = File.ReadAllBytes(path);
            var viaString = ProcFiles.ReadBytes(path, 1 << 24, out var truncated);
            var viaBytes = RawFileRead.ReadBytes(Path0(path), 1 << 24, out _);

            truncated.Should().BeFalse(name);
            if (name == "maps")
            {
                // The mappings change as the test allocates: compare the first line (the executable).
                Encoding.ASCII.GetString(viaString!).Split('\n')[0].Should().Be(Encoding.ASCII.GetString(expected).Split('\n')[0]);
                viaString!.Length.Should().BeGreaterThan(4096, "a seq_file longer than one read");
            }
            else
            {
                viaString.Should().Equal(expected, name);
                viaBytes.Should().Equal(expected, name);
            }
        }
    }

    [Test]
    public void A_path_without_its_NUL_is_refused()
    {
        var act = () => RawFileRead.ReadInto("/proc/self/cmdline"u8, new byte[16], out _);
        act.Should().Throw<ArgumentException>();
        var whole = () => RawFileRead.ReadBytes("/proc/self/cmdline"u8, 16, out _);
        whole.Should().Throw<ArgumentException>();
    }

    [TestCase("/proc", 1, "cmdline", "/proc/1/cmdline")]
    [TestCase("/proc/", 4194304, "stat", "/proc/4194304/stat")]
    [TestCase("/", 2147483647, "cmdline", "/2147483647/cmdline")]
    [TestCase("capture/proc//", 12, "cmdline", "capture/proc/12/cmdline")]
    [TestCase("/tmp/prøc", 7, "cmdline", "/tmp/prøc/7/cmdline")]
    public void Process_file_paths_are_built_as_bytes(string root, int pid, string name, string expected)
    {
        var rootBytes = RawFileRead.RootBytes(root);
        var buffer = new byte[rootBytes.Length + 32];
        buffer.AsSpan().Fill(0xFF);

        var n = RawFileRead.ProcessFilePath(rootBytes, pid, Encoding.UTF8.GetBytes(name), buffer);

        Encoding.UTF8.GetString(buffer, 0, n).Should().Be(expected);
        buffer[n].Should().Be(0);
    }

    [Test]
    public void A_path_that_does_not_fit_or_a_root_with_a_NUL_is_refused()
    {
        var tooSmall = () => RawFileRead.ProcessFilePath("/proc"u8, 12345, "cmdline"u8, new byte[19]);
        tooSmall.Should().Throw<ArgumentException>();
        RawFileRead.ProcessFilePath("/proc"u8, 12345, "cmdline"u8, new byte[20]).Should().Be(19);
        var nul = () => RawFileRead.RootBytes("/proc\0/x");
        nul.Should().Throw<ArgumentException>();
    }
}

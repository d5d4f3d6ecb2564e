using System.Globalization;
using System.Text;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Robustness;

/// <summary>
/// Issue 15, item 8: no input makes a check grow without bound. Each published check is run on a bad input (an
/// endless device, a sparse 1 GiB line, an input over its read limit, a program that floods its output) and must
/// answer UNKNOWN naming the limit that was hit, in one line, with nothing on stderr; and on big realistic inputs it
/// must still work. Every run's peak RSS is measured by the kernel's accounting of the finished child (GNU time's
/// maximum resident set size, from wait4) and must be at most 64 MiB.
/// </summary>
/// <remarks>
/// On the old code these inputs grew a check to 2-8 GB. So that a regression cannot take the shared test machine
/// down with it, the runs get a GC heap hard limit of 256 MiB (DOTNET_GCHeapHardLimit): far above what a bounded
/// check needs, far below what an unbounded one reaches; an unbounded reader then fails on the RSS or the message.
/// </remarks>
[Category("EndToEnd")]
public class MemoryBoundTests
{
    private const long BoundKiB = 64 * 1024;
    private const string Time = "/usr/bin/time";

    private static readonly Dictionary<string, string?> SafetyCap = new() { ["DOTNET_GCHeapHardLimit"] = "10000000" };

    private static readonly string Snapshot = Path.Combine(RepoPaths.Fixtures, "duplicity-3.1.0", "ps-during-backup", "snapshots", "03-mid-backup");

    private TempDir _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempDir();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    /// <summary>Runs the check under GNU time; returns its outcome and its peak RSS in KiB.</summary>
    private (ProcessOutcome Run, long PeakKiB) Measured(string check, params string[] args)
    {
        File.Exists(Time).Should().BeTrue("GNU time measures the peak RSS (packaging/install-deps.sh test installs it)");
        var report = Path.Combine(_dir.Path, "rss-" + Guid.NewGuid().ToString("N"));
        var r = ProcessRun.Run(Time, ["-f", "%M", "-o", report, RepoPaths.Executable(check), .. args], SafetyCap, TimeSpan.FromMinutes(2));
        var what = $"{check} {string.Join(' ', args)}";
        r.ExitCode.Should().BeInRange(0, 3, what);
        r.Stderr.Should().BeEmpty(what);
        r.Stdout.Should().StartWith("DUPLICITY ", what);
        // With a non-zero exit, time writes "Command exited with non-zero status N" before the figure.
        var peak = long.Parse(File.ReadAllLines(report).Last(l => l.Length > 0), NumberStyles.None, CultureInfo.InvariantCulture);
        TestContext.Out.WriteLine($"peak RSS {peak} KiB: {what}");
        peak.Should().BeLessThanOrEqualTo(BoundKiB, $"peak RSS at most 64 MiB: {what}");
        return (r, peak);
    }

    private string Sparse(string name, long bytes)
    {
        var path = Path.Combine(_dir.Path, name);
        using (var f = File.Create(path)) f.SetLength(bytes);
        return path;
    }

    private string Link(string name, string target)
    {
        var path = Path.Combine(_dir.Path, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.CreateSymbolicLink(path, target);
        return path;
    }

    // --- bad inputs: UNKNOWN naming the limit ---

    [Test]
    public void A_status_file_that_is_dev_zero_is_unknown_naming_the_line_limit()
    {
        var (r, _) = Measured(Checks.Freshness, "-s", "/dev/zero", "-t", "20");
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Be("DUPLICITY FRESHNESS UNKNOWN - status file /dev/zero: line 1 is longer than the 64 KiB read limit for one line");
    }

    [Test]
    public void A_status_file_over_16_MiB_is_unknown_naming_the_size_limit()
    {
        var path = Path.Combine(_dir.Path, "status.txt");
        using (var f = File.Create(path))
        {
            var blanks = new byte[1 << 20];
            blanks.AsSpan().Fill((byte)'\n');
            for (var i = 0; i < 17; i++) f.Write(blanks);
        }
        var (r, _) = Measured(Checks.Freshness, "-s", path, "-t", "20");
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Be($"DUPLICITY FRESHNESS UNKNOWN - status file {path} exceeds the 16 MiB read limit");
    }

    [Test]
    public void A_ps_capture_that_is_dev_zero_is_unknown_naming_the_line_limit()
    {
        var (r, _) = Measured(Checks.Running, "--ps-file", "/dev/zero", "-t", "20");
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Be("DUPLICITY RUNNING UNKNOWN - ps capture /dev/zero: line 1 is longer than the 1 MiB read limit for one line");
    }

    [Test]
    public void A_ps_capture_of_a_million_short_arguments_is_unknown_naming_the_argument_limit()
    {
        var args = string.Join(' ', Enumerable.Repeat("a", 250_000));
        var path = Path.Combine(_dir.Path, "ps.txt");
        File.WriteAllText(path, string.Concat(Enumerable.Range(0, 4).Select(i => $"   {100 + i}       1 root     Thu Nov 26 10:43:00 2026       5 /bin/x {args}\n")));
        var (r, _) = Measured(Checks.Running, "--ps-file", path, "-t", "20");
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Be($"DUPLICITY RUNNING UNKNOWN - ps capture {path} has more than 200000 command-line arguments, the read limit");
    }

    [Test]
    public void A_lock_table_that_is_dev_zero_is_unknown_naming_the_line_limit()
    {
        var locks = Link("procroot/locks", "/dev/zero");
        var (r, _) = Measured(Checks.Running, "--ps-file", Path.Combine(Snapshot, "ps-eo-pid-ppid-user-lstart-etimes-args.txt"),
            "--proc-root", Path.GetDirectoryName(locks)!, "-t", "20");
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Be($"DUPLICITY RUNNING UNKNOWN - lock table {locks}: line 1 is longer than the 64 KiB read limit for one line");
    }

    [TestCase("last-run")]
    [TestCase("all")]
    [TestCase("new")]
    public void A_log_of_one_1_GiB_line_is_unknown_naming_the_line_limit_and_its_offset(string scope)
    {
        var log = Sparse("one-line.log", 1L << 30);
        var (r, _) = Measured(Checks.Log, "-l", log, "--scope", scope, "--state-file", Path.Combine(_dir.Path, "state"), "-t", "20");
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Be("DUPLICITY LOG UNKNOWN - log line longer than 1 MiB (the read limit for one line) at offset 0");
    }

    [Test]
    public void A_log_that_is_dev_zero_reads_nothing()
    {
        // A character device reports length 0: the log is read up to the size it had when the check began.
        var (r, _) = Measured(Checks.Log, "-l", "/dev/zero", "-t", "20");
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().StartWith("DUPLICITY LOG UNKNOWN - no duplicity run found in /dev/zero");
    }

    [TestCase(Checks.Log)]
    [TestCase(Checks.Freshness)]
    [TestCase(Checks.Running)]
    public void A_job_file_that_is_dev_zero_is_refused_without_reading_it(string check)
    {
        var (r, _) = Measured(check, "--config", "/dev/zero", "-j", "x", "-t", "20");
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().EndWith(" UNKNOWN - config /dev/zero is not a regular file");
    }

    [TestCase(Checks.Log)]
    [TestCase(Checks.Freshness)]
    [TestCase(Checks.Running)]
    public void A_job_file_over_the_limit_is_unknown_naming_the_limit(string check)
    {
        using var dir = TempDir.InTrustedFolder();
        var path = dir.File("jobs.ini", "[job:x]\n" + new string(';', 64 << 20) + "\n");
        var (r, _) = Measured(check, "--config", path, "-j", "x", "-t", "20");
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().EndWith($" UNKNOWN - config {path} exceeds the 1 MiB read limit");
    }

    [Test]
    public void A_proc_root_of_endless_files_stays_bounded()
    {
        // /proc files report size 0, so they are read to their end: here each one is /dev/zero.
        foreach (var name in new[] { "cmdline", "stat", "status", "environ", "wchan", "syscall" }) Link($"proc/1234/{name}", "/dev/zero");
        Link("proc/stat", "/dev/zero");
        Link("proc/uptime", "/dev/zero");
        Link("proc/locks", "/dev/zero");
        var (r, _) = Measured(Checks.Running, "--proc-root", Path.Combine(_dir.Path, "proc"), "-t", "20");
        r.ExitCode.Should().BeInRange(0, 3);
    }

    [Test]
    public void A_live_duplicity_that_floods_its_output_is_bounded_until_the_timeout()
    {
        var fake = _dir.Script("duplicity", "#!/bin/sh\nexec /usr/bin/yes 'Local and Remote metadata are synchronized, no sync needed.'\n");
        var (r, _) = Measured(Checks.Freshness, "-d", "file:///nowhere", "--duplicity", fake, "-t", "3");
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Be("DUPLICITY FRESHNESS UNKNOWN - timed out after 3 s waiting for duplicity collection-status");
    }

    [Test]
    public void A_live_machine_log_over_8_MiB_is_unknown_naming_the_limit()
    {
        var fake = _dir.Script("duplicity", """
            #!/bin/sh
            for a; do case $a in --log-file=*) log=${a#--log-file=};; esac; done
            /usr/bin/head -c 9437184 /dev/zero > "$log"
            exit 0
            """ + "\n");
        var (r, _) = Measured(Checks.Freshness, "-d", "file:///nowhere", "--duplicity", fake, "-t", "20");
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Be("DUPLICITY FRESHNESS UNKNOWN - the machine log of duplicity collection-status exceeds the 8 MiB read limit");
    }

    [Test]
    public void An_archive_dir_of_more_than_30000_manifests_is_unknown_naming_the_limit()
    {
        var folder = ArchiveDir("x", 30_001);
        var (r, _) = Measured(Checks.Freshness, "-A", Path.GetDirectoryName(folder)!, "-N", "x", "--listing-cache", "off", "-t", "50");
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Be($"DUPLICITY FRESHNESS UNKNOWN - archive dir {folder} holds more than 30000 manifests and full signatures, the read limit");
    }

    // --- big realistic inputs: they still work, within the bound ---

    [Test]
    public void An_archive_dir_of_10000_sets_is_read_within_the_bound()
    {
        var folder = ArchiveDir("x", 10_000);
        var (r, _) = Measured(Checks.Freshness, "-A", Path.GetDirectoryName(folder)!, "-N", "x", "--listing-cache", "off",
            "--now", "2001-02-21T00:00:00Z", "-t", "50");
        r.ExitCode.Should().Be(0, r.Stdout);
        r.Stdout.Should().Contain("backup_sets=10000");
    }

    /// <summary>An archive-dir folder of one chain: a full and incrementals an hour apart from 2000-01-01 03:00 UTC, one volume each.</summary>
    private string ArchiveDir(string name, int sets)
    {
        var folder = Path.Combine(_dir.Path, "cache", name);
        Directory.CreateDirectory(folder);
        var times = Enumerable.Range(0, sets).Select(i => new DateTime(2000, 1, 1, 3, 0, 0, DateTimeKind.Utc).AddHours(i)).ToList();
        static string Stamp(DateTime t) => t.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        for (var i = 0; i < sets; i++)
        {
            var file = i == 0 ? $"duplicity-full.{Stamp(times[0])}.manifest" : $"duplicity-inc.{Stamp(times[i - 1])}.to.{Stamp(times[i])}.manifest";
            File.WriteAllText(Path.Combine(folder, file), "Volume 1:\n");
        }
        File.WriteAllText(Path.Combine(folder, $"duplicity-full-signatures.{Stamp(times[0])}.sigtar.gz"), "");
        return folder;
    }

    [Test]
    public void A_log_of_10_million_lines_is_read_whole_within_the_bound()
    {
        var run = "Local and Remote metadata are synchronized, no sync needed.\nLast full backup date: Thu Nov 26 10:37:41 2026\n"
            + "--------------[ Backup Statistics ]--------------\nStartTime 1795689600.00 (Thu Nov 26 10:40:00 2026)\n"
            + "EndTime 1795689610.00 (Thu Nov 26 10:40:10 2026)\nElapsedTime 10.00 (10.00 seconds)\nSourceFiles 10\n"
            + "SourceFileSize 1000 (1000 bytes)\nNewFiles 0\nNewFileSize 0 (0 bytes)\nDeletedFiles 0\nChangedFiles 0\n"
            + "ChangedFileSize 0 (0 bytes)\nChangedDeltaSize 0 (0 bytes)\nDeltaEntries 0\nRawDeltaSize 0 (0 bytes)\n"
            + "TotalDestinationSizeChange 100 (100 bytes)\nErrors 0\n-------------------------------------------------\n\n";
        var block = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(run, 1000))); // 20,000 lines
        var path = Path.Combine(_dir.Path, "big.log");
        using (var f = File.Create(path))
            for (var i = 0; i < 500; i++) f.Write(block);
        var (r, _) = Measured(Checks.Log, "-l", path, "--scope", "all", "-t", "50");
        r.ExitCode.Should().Be(0);
        r.FirstLine.Should().StartWith("DUPLICITY LOG OK - log: 500000 runs, no failures");
    }

    [Test]
    public void A_collection_status_of_10000_sets_is_read_within_the_bound()
    {
        var path = Path.Combine(_dir.Path, "status.log");
        File.WriteAllText(path, MachineStatus(10_000));
        var (r, _) = Measured(Checks.Freshness, "-s", path, "--now", "2001-02-21T00:00:00Z", "-w", "2d", "-c", "3d", "-t", "20");
        r.ExitCode.Should().Be(0, r.Stdout);
        r.Stdout.Should().Contain("backup_sets=10000");
    }

    [Test]
    public void A_ps_capture_of_5000_processes_is_read_within_the_bound()
    {
        var capture = File.ReadAllLines(Path.Combine(Snapshot, "ps-eo-pid-ppid-user-lstart-etimes-args.txt"));
        var text = new StringBuilder(capture[0]).Append('\n');
        var properties = string.Join(' ', Enumerable.Range(0, 20).Select(j => $"-Dp{j}=v{j}"));
        for (var i = 0; i < 5000; i++)
            text.Append(CultureInfo.InvariantCulture, $"{100_000 + i,7}       1 www-data Thu Nov 26 10:43:00 2026       5 /usr/bin/java -Xmx4g {properties} -jar /opt/app/app.jar\n");
        foreach (var line in capture.Skip(1)) text.Append(line).Append('\n');
        var path = Path.Combine(_dir.Path, "ps.txt");
        File.WriteAllText(path, text.ToString());
        new FileInfo(path).Length.Should().BeGreaterThan(1L << 20, "a capture of a busy server");
        var (r, _) = Measured(Checks.Running, "--ps-file", path, "-t", "20");
        r.FirstLine.Should().Contain("running for", r.Stdout);
    }

    /// <summary>collection-status --log-fd output of one chain: a full and incrementals an hour apart from 2000-01-01.</summary>
    private static string MachineStatus(int sets)
    {
        var times = Enumerable.Range(0, sets).Select(i => new DateTime(2000, 1, 1, 3, 0, 0, DateTimeKind.Utc).AddHours(i)).ToList();
        static string Asc(DateTime t) => t.ToString("ddd MMM ", CultureInfo.InvariantCulture) + t.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2)
            + t.ToString(" HH:mm:ss yyyy", CultureInfo.InvariantCulture);
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"NOTICE 1\n. Last full backup date: {Asc(times[0])}\n\nINFO 3 \nbackend BackendWrapper\narchive-dir (. dir)\nchain-complete\n");
        for (var i = 0; i < sets; i++)
            s.Append(CultureInfo.InvariantCulture, $" {(i == 0 ? "full" : "inc")} {times[i]:yyyyMMdd'T'HHmmss'Z'} 1 noenc\n");
        s.Append("orphaned-sets-num 0\nincomplete-sets-num 0\n. Collection Status\n. -----------------\n. Found 0 secondary backup chain(s).\n. \n");
        s.Append(CultureInfo.InvariantCulture, $". Found primary backup chain with matching signature chain:\n. Chain start time: {Asc(times[0])}\n. Chain end time: {Asc(times[^1])}\n");
        s.Append(CultureInfo.InvariantCulture, $". Number of contained backup sets: {sets}\n. Total number of contained volumes: {sets}\n");
        for (var i = 0; i < sets; i++)
            s.Append(CultureInfo.InvariantCulture, $". {(i == 0 ? "Full" : "Incremental"),20}         {Asc(times[i])}                 1\n");
        s.Append(". -------------------------\n. No orphaned or incomplete backup sets found.\n\n");
        return s.ToString();
    }
}

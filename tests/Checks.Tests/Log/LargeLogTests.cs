using System.Diagnostics;
using System.Text;
using DuplicityChecks.Checks.Log;
using DuplicityChecks.Duplicity.Logs;
using DuplicityChecks.Plugin;
using Serilog.Core;

namespace DuplicityChecks.Checks.Tests.Log;

/// <summary>
/// A 1 GiB cron log (real fixture runs repeated): --scope new reads it once, then only what was appended;
/// --scope last-run reads only the end. Asserted on the bytes the log tail reports, never on time.
/// </summary>
public class LargeLogTests
{
    private const long Size = 1L << 30;
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("large-log-test-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static string Fixture(string relative) => File.ReadAllText(Path.Combine(DuplicityChecks.TestSupport.RepoPaths.Fixtures, relative));

    [Test]
    public void A_second_scope_new_run_reads_only_the_appended_bytes_of_a_1_GiB_log()
    {
        var success = Fixture("duplicity-0.8.22/full-plus-incrementals/02-backup-inc-1/stdout.txt");
        var orphans = Fixture("duplicity-0.8.22/orphaned-backup-files/08-backup-next-run-with-orphans/stdout.txt");
        var eof = Fixture("duplicity-0.8.22/gpg-no-passphrase-eoferror/01-backup-no-passphrase-cron-merged/output-merged.txt");

        // A 4 MiB block of runs, repeated; it ends with a successful run.
        var block = new StringBuilder();
        var runsPerBlock = 0;
        while (block.Length < 4 << 20)
        {
            block.Append(eof).Append(orphans).Append(success).Append(success);
            runsPerBlock += 4;
        }
        var blockBytes = Encoding.UTF8.GetBytes(block.ToString());
        var log = Path.Combine(_dir, "big.log");
        var blocks = 0;
        using (var f = new FileStream(log, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            for (long written = 0; written < Size; written += blockBytes.Length, blocks++) f.Write(blockBytes);
        var length = new FileInfo(log).Length;

        var state = Path.Combine(_dir, "state", "big.state");
        var clock = Stopwatch.StartNew();
        var first = Read(log, "--scope", "new", "--state-file", state);
        clock.Stop();
        first.BytesRead.Should().Be(length, "the first check reads the whole log once");
        first.RunCount.Should().Be(blocks * runsPerBlock, "every run of the generated log is found");
        TestContext.Out.WriteLine($"first scan: {length / 1e6 / clock.Elapsed.TotalSeconds:0} MB/s ({length} bytes in {clock.Elapsed.TotalSeconds:0.00} s)");

        var appended = new StringBuilder();
        while (appended.Length < 1 << 20) appended.Append(success);
        appended.Append(eof);
        var appendedBytes = Encoding.UTF8.GetBytes(appended.ToString());
        using (var f = new FileStream(log, FileMode.Append, FileAccess.Write)) f.Write(appendedBytes);

        clock.Restart();
        var (result, second) = Judge(log, "--scope", "new", "--state-file", state);
        clock.Stop();
        second.BytesRead.Should().Be(appendedBytes.Length, "only the appended bytes are read");
        result.State.Should().Be(ServiceState.Critical);
        LogCheck.FailureNames(second).Should().Contain("passphrase_eof");
        TestContext.Out.WriteLine($"second scan after appending {appendedBytes.Length} bytes: {clock.Elapsed.TotalMilliseconds:0} ms");

        clock.Restart();
        var (lastRun, lastScan) = Judge(log);
        clock.Stop();
        lastRun.State.Should().Be(ServiceState.Critical);
        lastScan.BytesRead.Should().BeLessThan(8L << 20, "last-run finds the last run boundary by reading backwards from the end");
        TestContext.Out.WriteLine($"last-run: read {lastScan.BytesRead} bytes in {clock.Elapsed.TotalMilliseconds:0} ms");
    }

    private static LogScanResult Read(string log, params string[] extra) => Judge(log, extra).Scan;

    private static (CheckResult Result, LogScanResult Scan) Judge(string log, params string[] extra)
        => LogCheck.Judge(log, DateTimeOffset.FromUnixTimeSeconds(1795700000), extra);
}

using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Robustness;

/// <summary>
/// Issue 15, item 1, through the published checks: the state directory belongs to nagios as the package lays it out,
/// and a check run by root (by hand, a root NRPE, sudo) must not write root's files through links that nagios
/// planted, nor leave a file that breaks nagios's next run; a lock that an older version left as root does not
/// break nagios's runs; links swapped in a loop while root checks run change nothing of root's. And item 8's
/// state-file part: a state file linked to /dev/zero, or too large, is UNKNOWN with the reason.
/// </summary>
[Category("EndToEnd")]
[Category("RealComponent")]
public class StateDirTrapTests
{
    private const string Now = "1795700000";
    private static string Success => File.ReadAllText(Path.Combine(RepoPaths.Fixtures, "duplicity-0.8.22/full-plus-incrementals/02-backup-inc-1/stdout.txt"));

    private TrapTree _tree = null!;
    private string _log = "";

    [SetUp]
    public void SetUp()
    {
        if (!TrapTree.IsRoot) Assert.Ignore("the trap is for a check run by root; switching to nagios needs root too");
        _tree = new TrapTree();
        _tree.GiveStateToUnprivileged();
        _log = Path.Combine(_tree.Root, "job.log");
        File.WriteAllText(_log, Success);
    }

    [TearDown]
    public void TearDown() => _tree?.Dispose();

    private string StatePath => Path.Combine(_tree.State, "log.state");

    private string[] LogArgs(string? state = null) => ["-l", _log, "--scope", "new", "--state-file", state ?? StatePath, "--now", Now, "-v"];

    /// <summary>A published check as the state directory's owner (setpriv, no groups), with the process contract checked.</summary>
    private static ProcessOutcome RunAsOwner(string check, params string[] args)
    {
        var (uid, gid) = TrapTree.Unprivileged;
        var r = ProcessRun.Run("/usr/bin/setpriv", [$"--reuid={uid}", $"--regid={gid}", "--clear-groups", RepoPaths.Executable(check), .. args], timeout: Checks.Bound);
        r.ExitCode.Should().BeInRange(0, 3);
        r.Stderr.Should().BeEmpty();
        return r;
    }

    /// <summary>Links at the names an older check would write with the next PIDs (the temporary files were named by PID).</summary>
    private void SprayPidNames(string prefix, string suffix, int count = 3000)
    {
        var last = int.Parse(File.ReadAllText("/proc/sys/kernel/ns_last_pid").Trim(), CultureInfo.InvariantCulture);
        for (var pid = last + 1; pid <= last + count; pid++) _tree.Plant($"{prefix}{pid}{suffix}", _tree.Secret);
    }

    private void VictimsUntouched(string secret)
    {
        _tree.SecretContent.Should().Be(secret, "a root-only file is not written through a link");
        File.Exists(_tree.Absent).Should().BeFalse("no root-only file is created through a link");
        Directory.EnumerateFileSystemEntries(_tree.Victims).Select(Path.GetFileName).Should().BeEquivalentTo(["secret"]);
    }

    private void NothingOfRoots() => _tree.Entries().Where(e => e.EndsWith(":0", StringComparison.Ordinal)).Should().BeEmpty("no root-owned file is left in nagios's directory");

    [Test]
    public void Root_on_nagios_directory_writes_nothing_through_planted_links_and_nagios_next_run_reads_the_new_lines()
    {
        RunAsOwner(Checks.Log, LogArgs()).ExitCode.Should().Be(0, "nagios's first run saves its position");
        File.AppendAllText(_log, Success);
        File.Delete(StatePath + ".lock");
        _tree.Plant("log.state.lock", _tree.Absent);
        SprayPidNames("log.state.tmp-", "");
        var secret = _tree.SecretContent;
        var before = _tree.Entries();
        var state = File.ReadAllText(StatePath);

        var root = Checks.Run(Checks.Log, LogArgs());

        VictimsUntouched(secret);
        _tree.Entries().Should().Equal(before, "root creates, replaces and removes nothing in nagios's directory");
        File.ReadAllText(StatePath).Should().Be(state);
        root.ExitCode.Should().Be(0, root.Stdout);
        root.FirstLine.Should().Contain("new output: 1 run");
        root.Stdout.Should().Contain($"position not saved: the state directory {_tree.State} belongs to uid {TrapTree.Unprivileged.Uid}, not to this check's user (uid 0)");

        foreach (var link in Directory.EnumerateFileSystemEntries(_tree.State).Where(p => new FileInfo(p).LinkTarget is not null)) File.Delete(link);
        var owner = RunAsOwner(Checks.Log, LogArgs());
        owner.ExitCode.Should().Be(0, owner.Stdout);
        owner.FirstLine.Should().Contain("new output: 1 run", "root's run saved nothing, so nagios still reads the appended run: no line lost");
        owner.Stdout.Should().NotContain("position not saved");
        RunAsOwner(Checks.Log, LogArgs()).FirstLine.Should().Contain("no new output", "nagios saved its position");
    }

    [TestCase(0x180, TestName = "A root-owned 0600 lock left in nagios's directory does not break nagios's runs")]
    [TestCase(0x1A4, TestName = "A root-owned 0644 lock left in nagios's directory does not break nagios's runs")]
    public void A_root_owned_lock_left_by_an_older_version_does_not_break_nagios(int mode)
    {
        RunAsOwner(Checks.Log, LogArgs()).ExitCode.Should().Be(0);
        // What a root run of an older version left: its lock and its state, root's.
        File.Delete(StatePath + ".lock");
        File.WriteAllText(StatePath + ".lock", "");
        File.SetUnixFileMode(StatePath + ".lock", (UnixFileMode)mode);
        var state = File.ReadAllText(StatePath);
        File.Delete(StatePath);
        File.WriteAllText(StatePath, state);
        File.AppendAllText(_log, Success);

        var r = RunAsOwner(Checks.Log, LogArgs());
        r.ExitCode.Should().Be(0, r.Stdout);
        r.FirstLine.Should().Contain("new output: 1 run");
        RunAsOwner(Checks.Log, LogArgs()).FirstLine.Should().Contain("no new output");
    }

    [Test]
    public void A_state_file_linked_to_dev_zero_is_unknown_naming_why()
    {
        _tree.Plant("log.state", "/dev/zero");
        foreach (var r in new[] { Checks.Run(Checks.Log, LogArgs()), RunAsOwner(Checks.Log, LogArgs()) })
        {
            r.ExitCode.Should().Be(3, r.Stdout);
            r.FirstLine.Should().Be($"DUPLICITY LOG UNKNOWN - state file {StatePath} is a symbolic link (files in a state directory are opened without following links)");
        }
    }

    [Test]
    public void A_state_file_larger_than_its_limit_is_unknown_naming_the_limit()
    {
        File.WriteAllText(StatePath, "# duplicity-checks state v1\n" + new string('x', 1 << 20));
        TrapTree.Chown(StatePath);
        foreach (var r in new[] { Checks.Run(Checks.Log, LogArgs()), RunAsOwner(Checks.Log, LogArgs()) })
        {
            r.ExitCode.Should().Be(3, r.Stdout);
            r.FirstLine.Should().Be($"DUPLICITY LOG UNKNOWN - state file {StatePath} is larger than 64 KiB, the limit for this file");
        }
    }

    [Test]
    public void Root_freshness_on_nagios_directory_writes_no_listing_cache_through_planted_links()
    {
        var folder = SettledArchiveFolder();
        var listing = $"archive-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(folder)))[..16]}.listing";
        SprayPidNames(listing + ".", ".tmp");
        var secret = _tree.SecretContent;
        var before = _tree.Entries();
        string[] args = ["-A", folder, "--listing-cache", _tree.State, "--now", "2024-01-01T12:00:00Z", "-vvv"];

        var root = Checks.Run(Checks.Freshness, args);
        VictimsUntouched(secret);
        _tree.Entries().Should().Equal(before);
        root.ExitCode.Should().Be(0, root.Stdout);
        root.Stdout.Should().Contain($"listing not cached: the state directory {_tree.State} belongs to uid {TrapTree.Unprivileged.Uid}");

        foreach (var link in Directory.EnumerateFileSystemEntries(_tree.State)) File.Delete(link);
        RunAsOwner(Checks.Freshness, args).Stdout.Should().Contain("listing cached in " + _tree.State);
        var cached = Checks.Run(Checks.Freshness, args);
        cached.Stdout.Should().Contain("listing from the cache", "root reads the cache of the directory's owner");
        cached.FirstLine.Should().Be(root.FirstLine);
        NothingOfRoots();
    }

    [Test]
    public void Links_swapped_in_a_loop_while_root_checks_run_change_no_root_file()
    {
        var folder = SettledArchiveFolder();
        var listing = $"archive-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(folder)))[..16]}.listing";
        RunAsOwner(Checks.Log, LogArgs()).ExitCode.Should().Be(0);
        RunAsOwner(Checks.Freshness, ["-A", folder, "--listing-cache", _tree.State, "--now", "2024-01-01T12:00:00Z"]).ExitCode.Should().Be(0);
        var sub = Path.Combine(_tree.State, "sub");
        var secret = _tree.SecretContent;

        // nagios, in its own directory: every name a root check could open, swapped between a link to root's files
        // and a plain file (or folder), as fast as a shell can.
        var script = $$"""
            cd '{{_tree.State}}' || exit 1
            while :; do
              for n in log.state log.state.lock {{listing}}; do
                ln -sfn '{{_tree.Secret}}' "$n.x" && mv -fT "$n.x" "$n"
                ln -sfn '{{_tree.Absent}}' "$n.x" && mv -fT "$n.x" "$n"
                : > "$n.x" && mv -fT "$n.x" "$n"
              done
              p=$(cat /proc/sys/kernel/ns_last_pid)
              for i in 1 2 3 4 5 6 7 8; do
                ln -sfn '{{_tree.Secret}}' "log.state.tmp-$((p+i))"; ln -sfn '{{_tree.Secret}}' "{{listing}}.$((p+i)).tmp"
              done
              rm -rf sub; mkdir sub
              rm -rf sub; ln -s '{{_tree.Victims}}' sub
            done
            """;
        var (uid, gid) = TrapTree.Unprivileged;
        using var attacker = new Process { StartInfo = new ProcessStartInfo("/usr/bin/setpriv", [$"--reuid={uid}", $"--regid={gid}", "--clear-groups", "/bin/sh", "-c", script]) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true } };
        attacker.Start();
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        const int rounds = 60;
        try
        {
            for (var i = 0; i < rounds; i++)
            {
                if (i % 10 == 0) File.AppendAllText(_log, Success);
                foreach (var r in new[]
                {
                    Checks.Run(Checks.Log, LogArgs()),
                    Checks.Run(Checks.Log, LogArgs(Path.Combine(sub, "log.state"))),
                    Checks.Run(Checks.Freshness, ["-A", folder, "--listing-cache", _tree.State, "--now", "2024-01-01T12:00:00Z"]),
                })
                {
                    var kind = r.FirstLine.Split(" - ")[0] + (r.ExitCode == 3 ? " " + Reason(r.FirstLine) : "");
                    outcomes[kind] = outcomes.GetValueOrDefault(kind) + 1;
                }
            }
        }
        finally
        {
            attacker.Kill();
            attacker.WaitForExit();
        }
        TestContext.Progress.WriteLine($"state-dir races: {rounds * 3} root checks: " + string.Join("; ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}: {o.Value}")));
        VictimsUntouched(secret);
        NothingOfRoots();
        outcomes.Keys.Should().NotContain(k => k.Contains("internal error", StringComparison.Ordinal));
    }

    // The first line's reason without the paths, to count outcomes by kind.
    private static string Reason(string firstLine)
    {
        var text = firstLine.Split(" - ", 2)[^1];
        return string.Join(' ', text.Split(' ').Where(w => !w.Contains('/', StringComparison.Ordinal)).Take(8));
    }

    /// <summary>An archive-dir folder whose stamps are settled (10 s by the real clock), so that its listing would be cached.</summary>
    private string SettledArchiveFolder()
    {
        var folder = Path.Combine(_tree.Root, "cache", "job");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "duplicity-full.20240101T000000Z.manifest"), "Volume 1:\nVolume 2:\n");
        File.WriteAllText(Path.Combine(folder, "duplicity-full-signatures.20240101T000000Z.sigtar.gz"), "");
        File.SetUnixFileMode(Path.Combine(_tree.Root, "cache"), (UnixFileMode)0x1ED);
        File.SetUnixFileMode(folder, (UnixFileMode)0x1ED);
        Thread.Sleep(TimeSpan.FromSeconds(11));
        return folder;
    }
}

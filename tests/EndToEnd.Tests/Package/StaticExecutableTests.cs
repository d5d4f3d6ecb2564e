using System.Text.RegularExpressions;
using DuplicityChecks.EndToEnd.Tests.Running;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Package;

/// <summary>
/// The opt-in static build (packaging/publish.sh --static, -p:StaticExecutable=true in checks/Directory.Build.props):
/// no program interpreter, no shared library. A static glibc can still load code at run time (NSS modules for user
/// and group lookups, iconv modules, dlopen); such code must come from the same glibc build, which the monitored host
/// need not have. So every kind of run here (user filters, a live duplicity child, each input form) is traced with
/// strace, and the check's own processes must open no shared object and no NSS configuration: a static build reads
/// users from /etc/passwd only, and says so when a name is not there. A child's events after its execve are
/// duplicity's, not the check's. The default build is tested by <see cref="HardenedExecutableTests"/>.
/// </summary>
[Category("EndToEnd")]
public partial class StaticExecutableTests
{
    private const string Strace = "/usr/bin/strace";

    [TestCase("check_duplicity_freshness")]
    [TestCase("check_duplicity_running")]
    [TestCase("check_duplicity_log")]
    public void The_published_check_has_no_interpreter_and_needs_no_library(string check)
    {
        var headers = ProcessRun.Run("/usr/bin/readelf", ["-lW", RepoPaths.StaticExecutable(check)]);
        headers.ExitCode.Should().Be(0, headers.Stderr);
        headers.Stdout.Should().Contain("LOAD").And.NotContain("INTERP", "a static executable has no program interpreter");
        var dynamic = ProcessRun.Run("/usr/bin/readelf", ["-dW", RepoPaths.StaticExecutable(check)]);
        dynamic.Stdout.Should().NotContain("(NEEDED)");
    }

    [Test]
    public void A_user_only_nss_knows_is_unknown_by_name_and_found_by_uid()
    {
        using var user = new NameServiceOnlyUser();
        using var backup = new FakeDuplicityRun(user);
        var check = RepoPaths.StaticExecutable("check_duplicity_running");

        var byName = ProcessRun.Run(check, ["-u", user.Name, "-d", backup.Target]);
        byName.Stdout.Should().Be($"DUPLICITY RUNNING UNKNOWN - --user {user.Name}: no such user in /etc/passwd (a static build reads no other "
            + "user database: give a directory service's user by uid)\n", "a static build asks no NSS module, and says why the name is unknown");
        byName.ExitCode.Should().Be(3);

        var byUid = ProcessRun.Run(check, ["-u", user.UidText, "-d", backup.Target, "-v"]);
        byUid.FirstLine.Should().StartWith($"DUPLICITY RUNNING OK - incremental backup to {backup.Target} running for ");
        byUid.FirstLine.Should().Contain($"(PID {backup.Pid}");
        byUid.Stdout.Should().Contain($"PID {backup.Pid} (user {user.UidText}): ", "an unknown uid stays a number");
        byUid.ExitCode.Should().Be(0, byUid.Stdout);
    }

    private static IEnumerable<TestCaseData> Runs()
    {
        string Fixture(string relative) => Path.Combine(RepoPaths.Fixtures, relative);
        yield return new TestCaseData("check_duplicity_running", new[] { "-u", "root" }, null).SetName("running, user root");
        yield return new TestCaseData("check_duplicity_running", new[] { "-u", "nobody", "-vvv" }, null).SetName("running, user nobody, -vvv");
        yield return new TestCaseData("check_duplicity_running", new[] { "-u", "no-such-user-here" }, null).SetName("running, unknown user");
        yield return new TestCaseData("check_duplicity_freshness",
            new[] { "-s", Fixture("duplicity-2.2.4/full-plus-incrementals/05-collection-status/stdout.txt"), "--now", "1795887959" }, null)
            .SetName("freshness, collection-status text");
        yield return new TestCaseData("check_duplicity_freshness",
            new[] { "-d", "file:///nonexistent/duplicity-checks-static-test", "--listing-cache", "off", "-t", "60" }, "/usr/bin/duplicity")
            .SetName("freshness, live duplicity collection-status");
        yield return new TestCaseData("check_duplicity_log",
            new[] { "-l", Fixture("duplicity-0.8.22/full-plus-incrementals/02-backup-inc-1/stdout.txt"), "--now", "1795887959" }, null)
            .SetName("log, last run");
    }

    [TestCaseSource(nameof(Runs))]
    public void A_run_loads_no_code_and_no_name_service(string check, string[] args, string? child)
    {
        File.Exists(Strace).Should().BeTrue("packaging/install-deps.sh test installs strace");
        using var dir = new TempDir();
        var trace = Path.Combine(dir.Path, "trace");
        var run = ProcessRun.Run(Strace, ["-f", "-qq", "-o", trace, "-e", "trace=execve,open,openat,openat2,clone,clone3,fork,vfork", RepoPaths.StaticExecutable(check), .. args],
            timeout: TimeSpan.FromSeconds(90));
        run.ExitCode.Should().BeInRange(0, 3, run.Stdout);
        run.Stdout.Should().StartWith("DUPLICITY ");

        var lines = File.ReadAllLines(trace);
        if (child is not null) lines.Should().Contain(l => l.Contains($"execve(\"{child}\"", StringComparison.Ordinal), "the check ran {0}", child);
        var opened = OpenedByTheCheck(lines, RepoPaths.StaticExecutable(check));
        opened.Should().NotBeEmpty("the trace holds the check's own opens (/proc, the input)");
        opened.Where(p => SharedObject().IsMatch(p) || p.StartsWith("/etc/nsswitch.conf", StringComparison.Ordinal)
                || p.Contains("/gconv/", StringComparison.Ordinal))
            .Should().BeEmpty($"a static check loads no code at run time ({check} {string.Join(' ', args)})");
    }

    /// <summary>
    /// Paths opened by the check's processes: the traced program, then every thread or process one of them starts,
    /// each until it executes another program (duplicity and its helpers open what they like).
    /// </summary>
    private static List<string> OpenedByTheCheck(IEnumerable<string> lines, string executable)
    {
        var ours = new HashSet<string>();
        var elsewhere = new HashSet<string>(); // executed another program (a vfork child's execve comes before its pid)
        var opened = new List<string>();
        foreach (var line in lines)
        {
            var pid = line[..Math.Max(0, line.IndexOf(' ', StringComparison.Ordinal))];
            if (ours.Count == 0) ours.Add(pid); // the first line is the check's own execve
            var open = Opened().Match(line);
            if (open.Success && open.Groups["call"].Value == "execve")
            {
                if (open.Groups["path"].Value != executable && !line.Contains(" = -1 ", StringComparison.Ordinal)) elsewhere.Add(pid);
                continue;
            }
            if (!ours.Contains(pid) || elsewhere.Contains(pid)) continue;
            if (Started().Match(line) is { Success: true } started) ours.Add(started.Groups["child"].Value);
            else if (open.Success) opened.Add(open.Groups["path"].Value);
        }
        return opened;
    }

    // strace -f -o writes "PID call(args) = result", or a call in two lines ("<unfinished ...>", "<... call resumed>").
    [GeneratedRegex("""^\d+\s+(?:(?:clone3?|fork|vfork)\(|<\.\.\. (?:clone3?|fork|vfork) resumed>).*= (?<child>\d+)$""")]
    private static partial Regex Started();

    // The path is the first quoted argument (openat's follows the directory descriptor).
    [GeneratedRegex("""^\d+\s+(?<call>execve|open|openat|openat2)\((?:(?:[A-Z_]+|\d+), )?"(?<path>[^"]*)""")]
    private static partial Regex Opened();

    [GeneratedRegex(@"\.so(\.|$)")]
    private static partial Regex SharedObject();
}

using System.Text.RegularExpressions;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Package;

/// <summary>
/// The default build (packaging/publish.sh, checks/Directory.Build.props) is hardened: a position-independent
/// executable (its code and data randomised by ASLR) against the host's glibc (security updates reach it), with
/// RELRO and immediate binding (the GOT read-only after start), a non-executable stack and the stack protector,
/// and no library but glibc's. What lintian's hardening tags check, read from the ELF headers directly; the
/// package's lintian run is in <see cref="DebianPackageTests"/>. The opt-in static build:
/// <see cref="StaticExecutableTests"/>.
/// </summary>
[Category("EndToEnd")]
public partial class HardenedExecutableTests
{
    private const string Readelf = "/usr/bin/readelf";

    [TestCase("check_duplicity_freshness")]
    [TestCase("check_duplicity_running")]
    [TestCase("check_duplicity_log")]
    public void The_published_check_is_a_dynamic_pie_with_full_relro(string check)
    {
        var path = RepoPaths.Executable(check);
        var headers = ProcessRun.Run(Readelf, ["-hlW", path]);
        headers.ExitCode.Should().Be(0, headers.Stderr);
        headers.Stdout.Should().MatchRegex(@"Type:\s+DYN \(Position-Independent Executable file\)", "hardening-no-pie");
        headers.Stdout.Should().MatchRegex(@"\n\s+INTERP\s", "dynamic: the host's loader and glibc");
        headers.Stdout.Should().MatchRegex(@"\n\s+GNU_RELRO\s", "hardening-no-relro");
        Segment().Match(headers.Stdout).Groups["flags"].Value.Trim().Should().Be("RW", "the stack is not executable");

        var dynamic = ProcessRun.Run(Readelf, ["-dW", path]).Stdout;
        dynamic.Should().MatchRegex(@"\(FLAGS\)\s+BIND_NOW", "hardening-no-bindnow");
        dynamic.Should().MatchRegex(@"\(FLAGS_1\)\s+Flags: NOW PIE");
        Needed().Matches(dynamic).Select(m => m.Groups["lib"].Value).Should()
            .BeSubsetOf(["libc.so.6", "libm.so.6", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1"], "no library but glibc's: no .NET runtime, ICU, OpenSSL or libz");

        var symbols = ProcessRun.Run("/usr/bin/objdump", ["-T", path]).Stdout;
        symbols.Should().Contain("__stack_chk_fail", "the stack protector");
        if (check == "check_duplicity_running") symbols.Should().Contain("getpwnam_r", "users are resolved through NSS");
    }

    [Test]
    public void A_run_maps_its_code_at_a_random_address_and_the_hosts_glibc()
    {
        // The check is held while it opens a FIFO (as on a hung NFS read), and its mappings are read from /proc.
        // With ASLR of a PIE the executable's first mapping moves from run to run; a fixed-address build's stays.
        using var dir = new TempDir();
        var fifo = Path.Combine(dir.Path, "log");
        ProcessRun.Run("/usr/bin/mkfifo", [fifo]).ExitCode.Should().Be(0);
        var executable = RepoPaths.Executable("check_duplicity_log");
        var bases = new HashSet<string>();
        for (var run = 0; run < 3; run++)
        {
            using var processes = new Running.LiveProcesses();
            var pid = processes.Start(CliWrap.Cli.Wrap(executable).WithArguments(["-l", fifo, "-t", "30"]));
            var maps = $"/proc/{pid}/maps";
            string[] lines = [];
            for (var i = 0; i < 600 && !lines.Any(l => l.EndsWith("/libc.so.6", StringComparison.Ordinal)); i++)
            {
                Thread.Sleep(50);
                try { lines = File.ReadAllLines(maps); } catch (IOException) { }
            }
            lines.Should().Contain(l => Regex.IsMatch(l, @" /(usr/)?lib/[^ ]*/libc\.so\.6$"), "the host's glibc is mapped");
            var own = lines.First(l => l.EndsWith(" " + executable, StringComparison.Ordinal));
            bases.Add(own[..own.IndexOf('-', StringComparison.Ordinal)]);
        }
        bases.Should().HaveCountGreaterThan(1, "ASLR places a PIE's code anew at each start");
    }

    [GeneratedRegex(@"\n\s+GNU_STACK\s+(?:0x[0-9a-f]+\s+){5}(?<flags>[RWE ]+?)\s+0x")]
    private static partial Regex Segment();

    [GeneratedRegex(@"\(NEEDED\)\s+Shared library: \[(?<lib>[^\]]+)\]")]
    private static partial Regex Needed();
}

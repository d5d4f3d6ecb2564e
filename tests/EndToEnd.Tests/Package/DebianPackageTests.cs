using DuplicityChecks.EndToEnd.Tests.Icinga;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Package;

/// <summary>
/// packaging/deb/build.sh makes the .deb from dist/; it installs with dpkg -i, the plugins run from
/// /usr/lib/nagios/plugins, icinga2 daemon -C accepts the installed CheckCommands through the stock
/// `include &lt;plugins-contrib&gt;`, postinst makes the state folder, lintian (when installed) reports no error or warning
/// and no hardening tag (none is overridden: the executables are PIE, RELRO, BIND_NOW), and dpkg --purge
/// leaves none of its files behind. Changes the machine (CI runs as root on a throwaway one); purges in a
/// finally block, also when an assertion fails half-way.
/// </summary>
[Category("RealComponent")]
public class DebianPackageTests
{
    private const string Package = "duplicity-checks";
    private const string Dpkg = "/usr/bin/dpkg";
    private const string Plugins = "/usr/lib/nagios/plugins";
    private const string StateFolder = "/var/lib/duplicity-checks";

    [Test]
    public void The_package_installs_runs_validates_and_purges_cleanly()
    {
        var deb = Build();
        var contents = Contents(deb);
        contents.Should().Contain([
            $"{Plugins}/check_duplicity_freshness", $"{Plugins}/check_duplicity_running", $"{Plugins}/check_duplicity_log",
            "/usr/share/icinga2/include/plugins-contrib.d/duplicity.conf", "/etc/nagios/nrpe.d/duplicity-checks.cfg",
            "/etc/duplicity-checks.ini", "/usr/share/man/man1/check_duplicity_log.1.gz",
            "/usr/share/doc/duplicity-checks/copyright", "/usr/share/doc/duplicity-checks/changelog.Debian.gz"]);

        Purge(); // a run that died before its finally block
        try
        {
            DpkgWithRetry(["-i", deb]).ExitCode.Should().Be(0);
            // postinst: the state folder of --scope new, for the nagios user when there is one.
            Directory.Exists(StateFolder).Should().BeTrue("postinst creates {0}", StateFolder);
            var nagios = ProcessRun.Run("/usr/bin/getent", ["passwd", "nagios"]).ExitCode == 0;
            var owner = ProcessRun.Run("/usr/bin/stat", ["-c", "%U %a", StateFolder]).Stdout.Trim();
            owner.Should().Be(nagios ? "nagios 750" : "root 755");

            foreach (var check in new[] { "freshness", "running", "log" })
            {
                var path = $"{Plugins}/check_duplicity_{check}";
                (File.GetUnixFileMode(path) & (UnixFileMode)0x1FF).Should().Be((UnixFileMode)0x1ED, "{0} is 0755", path);
                var version = ProcessRun.Run(path, ["--version"]);
                version.ExitCode.Should().Be(3);
                version.Stdout.Should().StartWith($"check_duplicity_{check} version ");
            }
            var running = ProcessRun.Run($"{Plugins}/check_duplicity_running", ["--destination", "file:///nonexistent/duplicity-checks-package-test"]);
            running.ExitCode.Should().Be(0, running.Stdout);
            running.Stdout.Should().StartWith("DUPLICITY RUNNING OK - no duplicity process");

            ProcessRun.Run("/usr/bin/dpkg-query", ["-W", "-f=${Conffiles}", Package]).Stdout
                .Should().Contain("/etc/duplicity-checks.ini").And.Contain("/etc/nagios/nrpe.d/duplicity-checks.cfg");
            // The default build (dynamic PIE) depends on the host's glibc, from its symbol versions, and contains none.
            ProcessRun.Run("/usr/bin/dpkg-query", ["-W", "-f=${Depends}", Package]).Stdout.Should().MatchRegex(@"^libc6 \(>= 2\.[0-9]+\)$");
            ProcessRun.Run("/usr/bin/dpkg-query", ["-W", "-f=${Built-Using}", Package]).Stdout.Should().BeEmpty();

            using var dir = new TempDir();
            var validation = IcingaConfigTests.Validate(dir, """
                const PluginDir = "/usr/lib/nagios/plugins"
                const PluginContribDir = "/usr/lib/nagios/plugins"
                const ManubulonPluginDir = "/usr/lib/nagios/plugins"
                include <itl>
                include <plugins>
                include <plugins-contrib>
                object Host "backup-host" { check_command = "dummy" }
                object Service "freshness" { host_name = "backup-host"; check_command = "duplicity_freshness"; vars.duplicity_freshness_job = "assets" }
                object Service "running" { host_name = "backup-host"; check_command = "duplicity_running" }
                object Service "log" { host_name = "backup-host"; check_command = "duplicity_log"; vars.duplicity_log_log_ignore = [ "a", "b" ] }
                """);
            validation.ExitCode.Should().Be(0, validation.Stdout + validation.Stderr);

            if (File.Exists("/usr/bin/lintian")) LintianPasses(deb, staticBuild: false);
        }
        finally
        {
            Purge();
        }

        ProcessRun.Run("/usr/bin/dpkg-query", ["-W", Package]).ExitCode.Should().NotBe(0, "the package is gone");
        Directory.Exists(StateFolder).Should().BeFalse("postrm purge removes the state folder");
        contents.Where(p => File.Exists(p) || (Directory.Exists(p) && p.Contains(Package, StringComparison.Ordinal)))
            .Should().BeEmpty("dpkg --purge removes every file it installed, the conffiles too");
    }

    [Test]
    public void The_opt_in_static_build_packages_with_its_glibc_named()
    {
        File.Exists("/usr/bin/lintian").Should().BeTrue("packaging/install-deps.sh test installs lintian");
        var deb = Build(RepoPaths.StaticDist);
        ProcessRun.Run("/usr/bin/dpkg-deb", ["-f", deb, "Depends"]).Stdout.Trim().Should().BeEmpty("a static executable needs no library");
        ProcessRun.Run("/usr/bin/dpkg-deb", ["-f", deb, "Built-Using"]).Stdout.Trim().Should().MatchRegex(@"^glibc \(= [0-9][^ )]*\)$");
        LintianPasses(deb, staticBuild: true);
    }

    /// <summary>
    /// No error or warning, no hardening tag but hardening-no-fortify-functions (an I: tag: the .NET runtime's
    /// prebuilt native code, see packaging/deb/lintian-overrides), and no hardening tag overridden. The static build's
    /// only extra override is statically-linked-binary (lintian checks no PIE, RELRO or BIND_NOW for one).
    /// </summary>
    private static void LintianPasses(string deb, bool staticBuild)
    {
        var lintian = ProcessRun.Run("/usr/bin/lintian", ["--pedantic", "-I", "--show-overrides", deb], timeout: TimeSpan.FromMinutes(1));
        var tags = lintian.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        tags.Where(l => l.StartsWith("E:", StringComparison.Ordinal) || l.StartsWith("W:", StringComparison.Ordinal)).Should().BeEmpty(lintian.Stdout);
        tags.Where(l => l.Contains(" hardening-", StringComparison.Ordinal) && !l.StartsWith("I: duplicity-checks: hardening-no-fortify-functions ", StringComparison.Ordinal))
            .Should().BeEmpty("no hardening tag is raised or overridden:\n" + lintian.Stdout);
        var overridden = tags.Where(l => l.StartsWith("O:", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).Distinct();
        overridden.Should().BeSubsetOf(staticBuild
            ? ["embedded-library", "initial-upload-closes-no-bugs", "statically-linked-binary"]
            : ["embedded-library", "initial-upload-closes-no-bugs"], lintian.Stdout);
    }

    private static string Build(string? dist = null)
    {
        var build = ProcessRun.Run(Path.Combine(RepoPaths.Root, "packaging", "deb", "build.sh"), [dist ?? RepoPaths.Dist], timeout: TimeSpan.FromMinutes(1));
        build.ExitCode.Should().Be(0, build.Stdout + build.Stderr);
        var deb = build.Stdout.Trim().Split('\n')[^1];
        deb = Path.IsPathRooted(deb) ? deb : Path.Combine(RepoPaths.Root, deb);
        File.Exists(deb).Should().BeTrue(deb);
        Path.GetFileName(deb).Should().MatchRegex(@"^duplicity-checks_\d+\.\d+\.\d+-\d+_[a-z0-9]+\.deb$");
        return deb;
    }

    /// <summary>Every path in the package (files and directories), absolute.</summary>
    private static List<string> Contents(string deb)
    {
        var listing = ProcessRun.Run("/usr/bin/dpkg-deb", ["-c", deb]);
        listing.ExitCode.Should().Be(0);
        return [.. listing.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l[(l.IndexOf("./", StringComparison.Ordinal) + 1)..].TrimEnd('/'))
            .Where(p => p.Length > 0)];
    }

    private static void Purge()
    {
        if (ProcessRun.Run("/usr/bin/dpkg-query", ["-W", Package]).ExitCode == 0)
            DpkgWithRetry(["--purge", Package]).ExitCode.Should().Be(0);
    }

    /// <summary>dpkg, waiting while another dpkg/apt (an unattended upgrade, say) holds the lock.</summary>
    private static ProcessOutcome DpkgWithRetry(string[] args)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var run = ProcessRun.Run(Dpkg, args, new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" });
            if (run.ExitCode == 0 || !run.Stderr.Contains("lock", StringComparison.Ordinal) || DateTime.UtcNow > until) return run;
            Thread.Sleep(1000);
        }
    }
}

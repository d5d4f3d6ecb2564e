using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Icinga;

/// <summary><c>icinga2 daemon -C</c> (the real Icinga 2) accepts the shipped CheckCommands.</summary>
[Category("RealComponent")]
public class IcingaConfigTests
{
    private const string Icinga2 = "/usr/sbin/icinga2";

    public static ProcessOutcome Validate(TempDir dir, string config)
    {
        foreach (var d in new[] { "run/icinga2", "state", "log", "cache", "spool/tmp", "data" }) Directory.CreateDirectory(Path.Combine(dir.Path, d));
        var conf = dir.File("icinga2.conf", config);
        return ProcessRun.Run(Icinga2,
        [
            "daemon", "-C", "-c", conf, "-DRunAsUser=root", "-DRunAsGroup=root",
            $"-DRunDir={dir.Path}/run", $"-DStateDir={dir.Path}/state", $"-DLogDir={dir.Path}/log",
            $"-DCacheDir={dir.Path}/cache", $"-DSpoolDir={dir.Path}/spool", $"-DDataDir={dir.Path}/data",
        ]);
    }

    private static string Preamble => """
        const PluginDir = "/usr/lib/nagios/plugins"
        const PluginContribDir = "/usr/lib/nagios/plugins"
        const ManubulonPluginDir = "/usr/lib/nagios/plugins"
        include <itl>
        include <plugins>
        """;

    [Test]
    public void Icinga2_accepts_the_command_definitions_and_services_using_them()
    {
        using var dir = new TempDir();
        var run = Validate(dir, Preamble + $$"""

            include "{{RepoPaths.Root}}/icinga-commands.conf"
            object Host "backup-host" { check_command = "dummy" }
            object Service "duplicity-freshness" {
              host_name = "backup-host"
              check_command = "duplicity_freshness"
              vars.duplicity_freshness_job = "assets"
              vars.duplicity_freshness_verbose_level = 2
            }
            """);
        run.ExitCode.Should().Be(0, run.Stdout + run.Stderr);
        run.Stdout.Should().Contain("Finished validating the configuration");
    }

    [Test]
    public void Validation_really_fails_on_a_broken_command()
    {
        using var dir = new TempDir();
        var run = Validate(dir, Preamble + "\nobject CheckCommand \"broken\" { command = [ PluginDir + \"/x\" ] arguments = { \"--a\" = { value = } } }\n");
        run.ExitCode.Should().NotBe(0);
    }
}

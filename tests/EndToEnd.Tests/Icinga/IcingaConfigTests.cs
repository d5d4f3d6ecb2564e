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
    public void Icinga2_accepts_the_shipped_apply_rules_host_and_agent_examples()
    {
        using var dir = new TempDir();
        var examples = Path.Combine(RepoPaths.Root, "packaging", "icinga2");
        var run = Validate(dir, Preamble + $$"""

            const NodeName = "master.example.org"
            include "{{RepoPaths.Root}}/icinga-commands.conf"
            template Host "generic-host" { check_command = "dummy" }
            template Service "generic-service" { max_check_attempts = 3; check_interval = 5m; retry_interval = 1m }
            object Endpoint "master.example.org" { }
            object Zone "master" { endpoints = [ "master.example.org" ] }
            include "{{examples}}/duplicity-services.conf"
            include "{{examples}}/hosts-example.conf"
            include "{{examples}}/agent-example.conf"
            """);
        run.ExitCode.Should().Be(0, run.Stdout + run.Stderr);
        // 2 hosts, 3 jobs, 3 services per job: the apply rules really expanded.
        run.Stdout.Should().Contain("Instantiated 9 Services.").And.Contain("Finished validating the configuration");
    }

    [Test]
    public void An_agent_host_outside_a_zone_is_refused_so_the_example_sets_one()
    {
        // Guards the example's `zone = "master"`: without it (and outside zones.d/) command_endpoint is invalid.
        using var dir = new TempDir();
        var hosts = File.ReadAllText(Path.Combine(RepoPaths.Root, "packaging", "icinga2", "hosts-example.conf"));
        hosts.Should().Contain("\tzone = \"master\"");
        var run = Validate(dir, Preamble + $$"""

            const NodeName = "master.example.org"
            include "{{RepoPaths.Root}}/icinga-commands.conf"
            template Host "generic-host" { check_command = "dummy" }
            template Service "generic-service" { max_check_attempts = 3 }
            object Endpoint "master.example.org" { }
            object Zone "master" { endpoints = [ "master.example.org" ] }
            include "{{RepoPaths.Root}}/packaging/icinga2/duplicity-services.conf"
            include "{{RepoPaths.Root}}/packaging/icinga2/agent-example.conf"
            object Host "db1.example.org" { import "generic-host"; vars.agent_endpoint = name; vars.duplicity_jobs["x"] = { job_file = true } }
            """);
        run.ExitCode.Should().NotBe(0);
        run.Stdout.Should().Contain("requires a zone");
    }

    [Test]
    public void Validation_really_fails_on_a_broken_command()
    {
        using var dir = new TempDir();
        var run = Validate(dir, Preamble + "\nobject CheckCommand \"broken\" { command = [ PluginDir + \"/x\" ] arguments = { \"--a\" = { value = } } }\n");
        run.ExitCode.Should().NotBe(0);
    }
}

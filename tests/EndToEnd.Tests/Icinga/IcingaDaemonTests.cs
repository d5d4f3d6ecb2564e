using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DuplicityChecks.EndToEnd.Tests.Daemons;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Icinga;

/// <summary>
/// A real Icinga 2 daemon (own config, state and log directories, no API) schedules the services that the
/// shipped apply rules (packaging/icinga2/duplicity-services.conf) create from a host's duplicity_jobs,
/// with the shipped CheckCommands and the published executables, against real duplicity backups made here.
/// The results come from a PerfdataWriter's files; a GraphiteWriter sends the parsed perfdata to a socket
/// of the test, and Icinga 2 must log no invalid performance data.
/// </summary>
[Category("RealComponent")]
public class IcingaDaemonTests
{
    private const string Icinga2 = "/usr/sbin/icinga2";

    [Test]
    public void Icinga2_schedules_the_three_services_per_job_and_reads_states_output_and_perfdata()
    {
        using var lab = new DuplicityLab();
        lab.Full().ExitCode.Should().Be(0, "the lab's full backup must succeed");
        using var dir = new TempDir();
        var okLog = dir.File("logs/ok.log", Cron(lab.Incremental()));
        var failed = lab.Run(["full", "--archive-dir", lab.ArchiveDir, lab.Source, "file://" + Path.Combine(lab.Root, "encrypted")]);
        failed.ExitCode.Should().NotBe(0, "an encrypted backup without a passphrase fails");
        var failedLog = dir.File("logs/failed.log", Cron(failed));
        var threeDaysLater = DateTimeOffset.UtcNow.AddDays(3).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        using var graphite = new LineListener();
        var perfdataDir = Directory.CreateDirectory(Path.Combine(dir.Path, "perfdata")).FullName;
        var config = $$"""
            const PluginDir = "/usr/lib/nagios/plugins"
            const PluginContribDir = "{{RepoPaths.Dist}}"
            const ManubulonPluginDir = "/usr/lib/nagios/plugins"
            include <itl>
            include <plugins>
            include "{{RepoPaths.Root}}/icinga-commands.conf"
            include "{{RepoPaths.Root}}/packaging/icinga2/duplicity-services.conf"

            object CheckerComponent "checker" { }
            object FileLogger "main-log" { severity = "notice"; path = LogDir + "/icinga2.log" }
            object PerfdataWriter "perfdata" {
              service_perfdata_path = "{{perfdataDir}}/service-perfdata"
              host_perfdata_path = "{{perfdataDir}}/host-perfdata"
              rotation_interval = 1s
              service_format_template = "DATATYPE::SERVICEPERFDATA\tSERVICEDESC::$service.name$\tSERVICESTATE::$service.state$\tSERVICEPERFDATA::$service.perfdata$\tSERVICEOUTPUT::$service.output$"
            }
            object GraphiteWriter "graphite" { host = "127.0.0.1"; port = {{graphite.Port}} }

            template Host "generic-host" { check_command = "dummy"; vars.dummy_state = 0 }
            template Service "generic-service" { max_check_attempts = 1; check_interval = 2s; retry_interval = 2s }

            object Host "backup-host" {
              import "generic-host"
              vars.duplicity_jobs["good"] = {
                archive_dir = "{{lab.ArchiveDir}}"
                destination = "{{lab.Target}}"
                log = "{{okLog}}"
              }
              vars.duplicity_jobs["bad"] = {
                archive_dir = "{{lab.ArchiveDir}}"
                destination = "{{lab.Target}}"
                log = "{{failedLog}}"
                freshness_now = "{{threeDaysLater}}"
                freshness_critical = "2d"
                running_expect = "running"
              }
            }
            """;

        using var icinga = Start(dir, config);
        var results = WaitForResults(icinga, perfdataDir, 6);

        results["duplicity-freshness-good"].Should().Match<Result>(r => r.State == "OK" && r.Output.StartsWith("DUPLICITY FRESHNESS OK - last backup", StringComparison.Ordinal));
        results["duplicity-running-good"].Should().Match<Result>(r => r.State == "OK" && r.Output.StartsWith("DUPLICITY RUNNING OK - no duplicity process", StringComparison.Ordinal));
        results["duplicity-log-good"].Should().Match<Result>(r => r.State == "OK" && r.Output.StartsWith("DUPLICITY LOG OK - last backup succeeded", StringComparison.Ordinal));
        results["duplicity-freshness-bad"].Should().Match<Result>(r => r.State == "CRITICAL" && r.Output.StartsWith("DUPLICITY FRESHNESS CRITICAL - last backup 3d ago", StringComparison.Ordinal));
        results["duplicity-running-bad"].Should().Match<Result>(r => r.State == "CRITICAL" && r.Output.Contains("expected one running", StringComparison.Ordinal));
        results["duplicity-log-bad"].Should().Match<Result>(r => r.State == "CRITICAL" && r.Output.Contains("passphrase", StringComparison.Ordinal));

        // Icinga 2 split off the perfdata (none left in the output) and passed it on.
        foreach (var (name, result) in results)
        {
            result.Output.Should().NotContain("|", name);
            result.Perfdata.Should().NotBeEmpty(name);
        }
        results["duplicity-freshness-good"].Perfdata.Should().Contain("last_backup_age=").And.Contain("orphaned_sets=");
        results["duplicity-log-good"].Perfdata.Should().Contain("source_files=");

        // The GraphiteWriter parsed every metric (PerfdataValue::Parse) and sent it: one per service at least.
        DuplicityLab.WaitFor(() => new[] { "freshness-good", "running-good", "log-good", "freshness-bad", "running-bad", "log-bad" }
            .All(s => graphite.Lines.Any(l => l.Contains($".duplicity-{s}.", StringComparison.Ordinal) && l.Contains(".perfdata.", StringComparison.Ordinal))),
            "Graphite metrics of every service", 30);
        graphite.Lines.Should().Contain(l => l.Contains(".duplicity-freshness-bad.duplicity_freshness.perfdata.last_backup_age.value ", StringComparison.Ordinal));

        var log = File.ReadAllText(Path.Combine(dir.Path, "log", "icinga2.log"));
        log.Should().Contain("duplicity_freshness", "the notice log names the commands it ran");
        log.Should().NotContainAny("Ignoring invalid perfdata", "Invalid performance data", "Invalid perfdata");
        log.Split('\n').Where(l => l.Contains("perfdata", StringComparison.OrdinalIgnoreCase) && (l.Contains("/warning", StringComparison.Ordinal) || l.Contains("/critical", StringComparison.Ordinal)))
            .Should().BeEmpty();
    }

    public sealed record Result(string State, string Perfdata, string Output);

    private static string Cron(ProcessOutcome run) => run.Stdout + run.Stderr;

    private static DaemonProcesses Start(TempDir dir, string config)
    {
        foreach (var d in new[] { "run/icinga2", "state", "log", "cache", "spool/tmp", "data" }) Directory.CreateDirectory(Path.Combine(dir.Path, d));
        var conf = dir.File("icinga2.conf", config);
        var validation = IcingaConfigTests.Validate(dir, config);
        validation.ExitCode.Should().Be(0, validation.Stdout + validation.Stderr);
        var run = BackgroundRun.Start(Icinga2,
        [
            "daemon", "-c", conf, "-DRunAsUser=root", "-DRunAsGroup=root",
            $"-DRunDir={dir.Path}/run", $"-DStateDir={dir.Path}/state", $"-DLogDir={dir.Path}/log",
            $"-DCacheDir={dir.Path}/cache", $"-DSpoolDir={dir.Path}/spool", $"-DDataDir={dir.Path}/data",
        ]);
        return new DaemonProcesses(run, Path.Combine(dir.Path, "run", "icinga2", "icinga2.pid"));
    }

    /// <summary>The newest result of each service, from every (rotated) perfdata file, once <paramref name="services"/> have one.</summary>
    private static Dictionary<string, Result> WaitForResults(DaemonProcesses icinga, string perfdataDir, int services)
    {
        var results = new Dictionary<string, Result>();
        DuplicityLab.WaitFor(() =>
        {
            if (icinga.HasExited) throw new InvalidOperationException("icinga2 exited: " + icinga.Run.Stdout + icinga.Run.Stderr);
            results = ReadResults(perfdataDir);
            return results.Count >= services;
        }, $"{services} service results from Icinga 2", 75);
        return results;
    }

    private static Dictionary<string, Result> ReadResults(string perfdataDir)
    {
        var results = new Dictionary<string, Result>();
        foreach (var file in Directory.EnumerateFiles(perfdataDir, "service-perfdata*").Order(StringComparer.Ordinal))
        {
            string text;
            try { text = File.ReadAllText(file); } catch (IOException) { continue; }
            // One record per check; the output's long-output lines continue the record's last field.
            foreach (var record in text.Split("DATATYPE::SERVICEPERFDATA\t", StringSplitOptions.RemoveEmptyEntries))
            {
                var fields = record.Split('\t', 4);
                if (fields.Length < 4 || !fields[3].StartsWith("SERVICEOUTPUT::", StringComparison.Ordinal)) continue;
                results[Field(fields[0], "SERVICEDESC")] = new Result(Field(fields[1], "SERVICESTATE"), Field(fields[2], "SERVICEPERFDATA"), fields[3]["SERVICEOUTPUT::".Length..].TrimEnd('\n'));
            }
        }
        return results;
    }

    private static string Field(string field, string name) => field.StartsWith(name + "::", StringComparison.Ordinal) ? field[(name.Length + 2)..] : throw new FormatException($"expected {name}:: in '{field}'");

    /// <summary>A TCP listener on 127.0.0.1 collecting the lines it receives (Icinga 2's GraphiteWriter connects to it).</summary>
    private sealed class LineListener : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<string> _lines = [];
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _accepting;

        public LineListener()
        {
            _listener.Start();
            _accepting = Task.Run(AcceptAsync);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public IReadOnlyList<string> Lines { get { lock (_lines) return [.. _lines]; } }

        private async Task AcceptAsync()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
                    _ = Task.Run(async () =>
                    {
                        using var c = client;
                        using var reader = new StreamReader(c.GetStream(), Encoding.UTF8);
                        try
                        {
                            while (await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false) is { } line)
                                lock (_lines) _lines.Add(line);
                        }
                        catch (Exception e) when (e is IOException or OperationCanceledException) { }
                    });
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            try { _accepting.Wait(TimeSpan.FromSeconds(10)); } catch (AggregateException) { }
            _stop.Dispose();
        }
    }
}

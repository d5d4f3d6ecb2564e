using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Robustness;

/// <summary>
/// Secrets in the arguments (rsync://user:secret@host), the job file and the environment (PASSPHRASE,
/// FTP_PASSWORD), repeated back by a duplicity stand-in on its error paths (stderr, machine log, hang) and by logs
/// and process tables: at -v, -vv and -vvv they appear neither on stdout nor in the --debug-log file.
/// </summary>
[Category("EndToEnd")]
public class SecretTests
{
    private const string UrlSecret = "urlS3cretPW";
    private const string Passphrase = "passphraseS3cret";
    private const string FtpPassword = "ftpS3cretPW";
    private static readonly string[] Secrets = [UrlSecret, Passphrase, FtpPassword];
    private static readonly string Url = $"rsync://backup:{UrlSecret}@host.example/srv/b";

    private static readonly Dictionary<string, string?> Env = new() { ["PASSPHRASE"] = Passphrase, ["FTP_PASSWORD"] = FtpPassword };

    /// <summary>Stand-ins that repeat every secret they were given, bare and as assignments, then fail in their own way.</summary>
    private static IEnumerable<(string Name, string Body)> StandIns()
    {
        const string echo = "echo \"ERROR: cannot connect to $*: password $PASSPHRASE / $FTP_PASSWORD rejected\" >&2\n"
                            + "echo \"PASSPHRASE=$PASSPHRASE FTP_PASSWORD='$FTP_PASSWORD'\" >&2\n";
        yield return ("fails", $"#!/bin/sh\n{echo}exit 1\n");
        yield return ("backend-fails", $"#!/bin/sh\n{echo}exit 50\n");
        yield return ("lock", $"#!/bin/sh\n{echo}echo 'Another duplicity instance is already running' >&2\nexit 23\n");
        yield return ("garbage-log", $"#!/bin/sh\n{echo}for a; do last=$a; done\nfor a; do case $a in --log-file=*) f=${{a#--log-file=}};; esac; done\n"
                                     + "printf 'INFO 3\\n. %s %s %s\\nchain-complete\\n full nonsense\\n' \"$last\" \"$PASSPHRASE\" \"$FTP_PASSWORD\" > \"$f\"\nexit 0\n");
        yield return ("hangs", $"#!/bin/sh\n{echo}exec /bin/sleep 30\n");
    }

    private static void NoSecrets(string what, string text)
    {
        foreach (var s in Secrets) text.Should().NotContain(s, what);
    }

    [Test]
    public void Freshness_never_shows_a_secret_on_any_error_path_at_any_verbosity()
    {
        using var dir = TempDir.InTrustedFolder(); // a job file below /tmp is not used at all
        var ini = dir.File("jobs.ini", $"[job:j]\ndestination = {Url}\n");
        File.SetUnixFileMode(ini, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var runs = 0;
        foreach (var (name, body) in StandIns())
        {
            var fake = dir.Script($"dup-{name}", body);
            foreach (var verbosity in new[] { "-v", "-vv", "-vvv" })
                foreach (var source in new[] { new[] { "-d", Url }, ["-j", "j", "--config", ini] })
                {
                    var debugLog = Path.Combine(dir.Path, $"debug-{runs}.log");
                    var r = Checks.Run(Checks.Freshness, [.. source, "--duplicity", fake, "-t", "2", verbosity, "--debug-log", debugLog], Env);
                    var what = $"{name} {verbosity} {string.Join(' ', source)}";
                    r.ExitCode.Should().NotBe(0, what);
                    NoSecrets($"stdout of {what}", r.Stdout);
                    File.Exists(debugLog).Should().BeTrue(what);
                    NoSecrets($"debug log of {what}", File.ReadAllText(debugLog));
                    runs++;
                }
        }
        TestContext.Progress.WriteLine($"secret runs: {runs}");
    }

    [Test]
    public void Usage_errors_and_missing_files_never_show_a_secret()
    {
        using var dir = new TempDir();
        var cases = new[]
        {
            (Checks.Freshness, new[] { "-d", Url, "--timezone", Url }),
            (Checks.Freshness, new[] { "-s", $"/nonexistent/{Url}" }),
            (Checks.Freshness, new[] { "-A", $"/nonexistent/{UrlSecret}", "-d", Url }),
            (Checks.Log, new[] { "-l", $"/nonexistent/{Url}" }),
            (Checks.Log, new[] { "-l", "/dev/null", "-d", Url, "--scope", Url }),
            (Checks.Running, new[] { "-d", Url, "--ps-file", $"/nonexistent/{Url}" }),
            (Checks.Running, new[] { "-d", Url, "-w", Url }),
        };
        foreach (var (check, args) in cases)
            foreach (var verbosity in new[] { "-v", "-vv", "-vvv" })
            {
                var debugLog = Path.Combine(dir.Path, "debug.log");
                var r = Checks.Run(check, [.. args, verbosity, "--debug-log", debugLog], Env);
                NoSecrets($"{check} {string.Join(' ', args)} {verbosity}", r.Stdout);
                if (File.Exists(debugLog)) NoSecrets("debug log", File.ReadAllText(debugLog));
            }
    }

    [Test]
    public void Logs_and_process_tables_that_hold_secrets_never_show_them()
    {
        using var dir = new TempDir();
        var log = dir.File("job.log", $"""
            duplicity full --encrypt-key ABC /srv {Url}
            Reading globbing filelist
            PASSPHRASE={Passphrase}
            Attempt 1 failed. BackendException: rsync error for {Url}: password {Passphrase} / {FtpPassword}
            Giving up after 5 attempts. BackendException: Error running 'rsync {Url}'
            """.Replace("\r", "") + "\n");
        var ps = dir.File("ps.txt", "    PID    PPID USER                      STARTED ELAPSED COMMAND\n"
            + $"   1574    1573 root     Thu Nov 26 10:43:00 2026       5 /usr/bin/python3 /usr/bin/duplicity full --ftp-password {FtpPassword} /srv {Url}\n");
        foreach (var verbosity in new[] { "-v", "-vv", "-vvv" })
        {
            var debugLog = Path.Combine(dir.Path, "debug.log");
            var r = Checks.Run(Checks.Log, ["-l", log, "--now", "1795700000", verbosity, "--debug-log", debugLog], Env);
            r.ExitCode.Should().NotBe(0);
            NoSecrets($"log check {verbosity}", r.Stdout);
            NoSecrets("debug log", File.ReadAllText(debugLog));
            r = Checks.Run(Checks.Running, ["--ps-file", ps, "--now", "1795689786", verbosity, "--debug-log", debugLog], Env);
            NoSecrets($"running check {verbosity}", r.Stdout);
            NoSecrets("debug log", File.ReadAllText(debugLog));
        }
    }
}

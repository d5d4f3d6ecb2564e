using System.Text;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Robustness;

/// <summary>
/// Issue 15 item 7, as a generated matrix against the published checks: every form a secret takes (a URL password,
/// also with an '@' in the user name, URL-encoded, repeated bare; secret query parameters; a PASSPHRASE with a '|';
/// RSYNC_PASSWORD, FTP_PASSWORD, DUPLICITY_PASSPHRASE, SIGN_PASSPHRASE, AWS_SECRET_ACCESS_KEY assignments) x every
/// place it comes from (log lines, ps captures, real processes in /proc, job file values quoted in Fix lines,
/// collection-status errors, duplicity's own errors in a live run: a stand-in's and the real duplicity's) x every
/// verbosity, with a --debug-log file each time. A case leaks when its secret is in stdout or in the debug log.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public class SecretMatrixTests
{
    private static readonly string[] Verbosities = ["", "-v", "-vv", "-vvv"];

    /// <param name="Planted">The text that carries the secret, planted in the place under test.</param>
    /// <param name="Url">The URL of the form, for the places that take a destination (null: the form is no URL).</param>
    private sealed record SecretForm(string Name, string Secret, string Planted, string? Url, IReadOnlyDictionary<string, string?>? Env = null);

    private static IEnumerable<SecretForm> Forms(int n)
    {
        string S(string tag) => $"Zq{n}{tag}Sx9";
        var s = S("u");
        yield return new("url", s, $"rsync://backup:{s}@host.example/srv/b", $"rsync://backup:{s}@host.example/srv/b");
        s = S("a");
        yield return new("url-user-with-at", s, $"sftp://u@example.com:{s}@host/p", $"sftp://u@example.com:{s}@host/p");
        s = S("q");
        yield return new("query-aws-secret", s, $"s3://bucket/p?aws_secret_access_key={s}&region=eu", $"s3://bucket/p?aws_secret_access_key={s}&region=eu");
        s = S("t");
        yield return new("query-token", s, $"swift://c/p?auth_token={s}", $"swift://c/p?auth_token={s}");
        s = S("e");
        yield return new("url-encoded", s, $"webdavs://u:p%40{s}%7Cx@host/p decoded p@{s}|x", $"webdavs://u:p%40{s}%7Cx@host/p");
        s = S("b");
        yield return new("url-repeated-bare", s, $"rsync://backup:{s}@host/srv/b: login as backup with {s} refused", $"rsync://backup:{s}@host/srv/b");
        s = S("p");
        yield return new("passphrase-with-pipe", s, $"gpg: passphrase a|{s} rejected", null, new Dictionary<string, string?> { ["PASSPHRASE"] = $"a|{s}" });
        s = S("r");
        yield return new("rsync-password", s, $"RSYNC_PASSWORD={s}", null);
        s = S("f");
        yield return new("ftp-password-quoted", s, $"export FTP_PASSWORD='{s} two'", null);
        s = S("d");
        yield return new("duplicity-passphrase", s, $"DUPLICITY_PASSPHRASE=\"{s}\"", null);
        s = S("g");
        yield return new("sign-passphrase", s, $"export SIGN_PASSPHRASE={s}", null);
        s = S("k");
        yield return new("aws-secret-key", s, $"AWS_SECRET_ACCESS_KEY={s}", null);
    }

    private sealed class Tally
    {
        private readonly Dictionary<string, (int Cases, int Leaks)> _byPlace = [];
        public List<string> Leaks { get; } = [];

        public void Count(string place, SecretForm form, string verbosity, string stdout, string debugLog)
        {
            var (cases, leaks) = _byPlace.GetValueOrDefault(place);
            var where = new List<string>();
            if (stdout.Contains(form.Secret, StringComparison.Ordinal)) where.Add("stdout");
            if (debugLog.Contains(form.Secret, StringComparison.Ordinal)) where.Add("debug log");
            if (where.Count > 0)
            {
                leaks++;
                var line = (stdout + "\n" + debugLog).Split('\n').First(l => l.Contains(form.Secret, StringComparison.Ordinal));
                Leaks.Add($"{place} / {form.Name} / '{verbosity}' in {string.Join(" and ", where)}: {line.Trim()}");
            }
            _byPlace[place] = (cases + 1, leaks);
        }

        public string Report()
        {
            var sb = new StringBuilder();
            foreach (var (place, (cases, leaks)) in _byPlace) sb.Append($"{place}: {cases} cases, {leaks} leaked; ");
            sb.Append($"total {_byPlace.Values.Sum(v => v.Cases)} cases, {Leaks.Count} leaked");
            return sb.ToString();
        }
    }

    private static void RunCase(Tally tally, TempDir dir, string place, SecretForm form, string check, string[] args, IReadOnlyDictionary<string, string?>? env = null)
    {
        foreach (var verbosity in Verbosities)
        {
            var debugLog = Path.Combine(dir.Path, $"debug-{Guid.NewGuid():N}.log");
            string[] all = verbosity.Length > 0 ? [.. args, verbosity, "--debug-log", debugLog] : [.. args, "--debug-log", debugLog];
            var r = Checks.Run(check, all, env ?? form.Env);
            r.Stdout.Should().NotBeEmpty($"{place} {form.Name} {verbosity}");
            tally.Count(place, form, verbosity, r.Stdout, File.Exists(debugLog) ? File.ReadAllText(debugLog) : "");
        }
    }

    private static string Log(SecretForm f) => $"""
        duplicity full --encrypt-key ABCDEF12 /srv {f.Url ?? "rsync://backup@host/srv/b"}
        Reading globbing filelist /etc/backup.list
        {f.Planted}
        Attempt 1 failed. BackendException: rsync error for {f.Planted}
        UnsupportedBackendScheme: scheme not supported in url: {f.Planted}
        Giving up after 5 attempts. BackendException: Error running 'rsync {f.Planted}'
        """.Replace("\r", "") + "\n";

    private static string PsCapture(SecretForm f) => "    PID    PPID USER                      STARTED ELAPSED COMMAND\n"
        + $"   1574    1573 root     Thu Nov 26 10:43:00 2026       5 /usr/bin/python3 /usr/bin/duplicity full --gpg-options --x {f.Planted} /srv {f.Url ?? "rsync://backup@host/srv/b"}\n";

    [Test]
    public void No_secret_form_from_any_place_reaches_stdout_or_the_debug_log()
    {
        using var dir = new TempDir();
        var tally = new Tally();
        var n = 0;
        foreach (var form in Forms(n++))
        {
            var log = dir.File($"job-{form.Name}.log", Log(form));
            var ps = dir.File($"ps-{form.Name}.txt", PsCapture(form));
            // Log lines, alone and with the URL as the destination the Fix lines quote.
            RunCase(tally, dir, "log lines", form, Checks.Log, ["-l", log, "--now", "1795700000"]);
            if (form.Url is { } url) RunCase(tally, dir, "log lines + -d", form, Checks.Log, ["-l", log, "-d", url, "--now", "1795700000"]);
            // ps captures.
            RunCase(tally, dir, "ps capture", form, Checks.Running, ["--ps-file", ps, "--now", "1795689786"]);
            // Job file values: the destination, and a script with the secret, both quoted in Fix lines.
            var ini = dir.File($"jobs-{form.Name}.ini", $"[job:j]\ndestination = {form.Url ?? "rsync://backup@host/srv/b"}\nscript = env {form.Planted} /usr/local/bin/backup.sh\nuser = backup\n");
            File.SetUnixFileMode(ini, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var eof = dir.File($"eof-{form.Name}.log", $"duplicity full /srv {form.Url ?? "rsync://backup@host/srv/b"}\nGPGError: GPG Failed, see log below:\n===== Begin GnuPG log =====\ngpg: {form.Planted}\n===== End GnuPG log =====\n");
            RunCase(tally, dir, "job file (log check Fix lines)", form, Checks.Log, ["-j", "j", "--config", ini, "-l", eof, "--now", "1795700000"]);
            RunCase(tally, dir, "job file (running check)", form, Checks.Running, ["-j", "j", "--config", ini, "--ps-file", ps, "--now", "1795689786"]);
            // collection-status errors in a saved status file.
            var status = dir.File($"status-{form.Name}.txt", $"UnsupportedBackendScheme: scheme not supported in url: {form.Planted}\n");
            RunCase(tally, dir, "collection-status error", form, Checks.Freshness, ["-s", status, "-j", "j", "--config", ini]);
            // duplicity's own errors in a live run (a stand-in that repeats what it was given and fails).
            var fake = dir.Script($"dup-{form.Name}", $"#!/bin/sh\necho \"UnsupportedBackendScheme: scheme not supported in url: $*\" >&2\necho '{form.Planted.Replace("'", "'\\''")}' >&2\nexit 23\n");
            RunCase(tally, dir, "live stand-in error", form, Checks.Freshness, ["-d", form.Url ?? "rsync://backup@host/srv/b", "--duplicity", fake, "-t", "5"]);
        }
        TestContext.Progress.WriteLine($"secret matrix: {tally.Report()}");
        tally.Leaks.Should().BeEmpty($"{tally.Report()}; first leaks:\n{string.Join("\n", tally.Leaks.Take(15))}");
    }

    [Test]
    [Category("RealComponent")]
    public void Secrets_that_the_real_duplicity_echoes_in_its_errors_are_masked()
    {
        using var dir = new TempDir();
        var tally = new Tally();
        var n = 100;
        foreach (var form in Forms(n++).Where(f => f.Url is not null))
        {
            // An unknown scheme: duplicity 0.8.22 answers "UnsupportedBackendScheme: scheme not supported in url: URL".
            var url = "foo" + form.Url![form.Url!.IndexOf(':')..];
            var echoed = form with { Url = url };
            RunCase(tally, dir, "real duplicity error", echoed, Checks.Freshness, ["-d", url, "-t", "60"],
                new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = dir.Path });
        }
        TestContext.Progress.WriteLine($"secret matrix (real duplicity): {tally.Report()}");
        tally.Leaks.Should().BeEmpty($"{tally.Report()}; first leaks:\n{string.Join("\n", tally.Leaks.Take(15))}");
    }

    [Test]
    public void Secrets_in_the_command_lines_of_real_processes_are_masked()
    {
        using var dir = new TempDir();
        var script = dir.Script("duplicity", "#!/usr/bin/python3\nimport time\ntime.sleep(60)\n");
        var tally = new Tally();
        var n = 200;
        foreach (var form in Forms(n++))
        {
            using var process = BackgroundRun.Start("/usr/bin/python3", [script, "full", "--gpg-options", form.Planted, "/srv", form.Url ?? "rsync://backup@host/srv/b"]);
            var cmdline = $"/proc/{process.ProcessId}/cmdline";
            DuplicityLab.WaitFor(() => File.Exists(cmdline) && File.ReadAllText(cmdline).Contains("full", StringComparison.Ordinal), "the stand-in's command line");
            RunCase(tally, dir, "real process in /proc", form, Checks.Running, ["-m", form.Secret[..6]]);
        }
        TestContext.Progress.WriteLine($"secret matrix (/proc): {tally.Report()}");
        tally.Leaks.Should().BeEmpty($"{tally.Report()}; first leaks:\n{string.Join("\n", tally.Leaks.Take(15))}");
    }
}

using System.Security.Cryptography;
using System.Text;
using CliWrap;

namespace DuplicityChecks.TestSupport;

/// <summary>
/// A real duplicity backup in a temporary directory: source, file:// target, archive dir (cache). Runs
/// Debian's /usr/bin/duplicity (installed by the test command), unencrypted unless a passphrase is given.
/// Everything it starts is killed and everything it made is deleted on Dispose.
/// </summary>
public sealed class DuplicityLab : IDisposable
{
    public const string Duplicity = "/usr/bin/duplicity";

    private readonly List<BackgroundRun> _started = [];

    public DuplicityLab()
    {
        if (!File.Exists(Duplicity)) throw new InvalidOperationException($"{Duplicity} is missing: run tests/run-tests.sh, which installs it");
        Root = Directory.CreateTempSubdirectory("duplicity-lab-").FullName;
        Source = Directory.CreateDirectory(Path.Combine(Root, "src")).FullName;
        TargetDir = Directory.CreateDirectory(Path.Combine(Root, "target")).FullName;
        // duplicity's default archive dir is $XDG_CACHE_HOME/duplicity: with XDG_CACHE_HOME=Root a live
        // collection-status and the backups share this cache.
        ArchiveDir = Directory.CreateDirectory(Path.Combine(Root, "duplicity")).FullName;
        File.WriteAllText(Path.Combine(Source, "a.txt"), "first file\n");
    }

    public string Root { get; }
    public string Source { get; }
    public string TargetDir { get; }
    public string Target => "file://" + TargetDir;
    public string ArchiveDir { get; }

    public string XdgCacheHome => Root;

    /// <summary>The per-backup folder duplicity uses: md5 of the URL exactly as typed.</summary>
    public string BackupName => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(Target)));

    public string CacheDir => Path.Combine(ArchiveDir, BackupName);

    public void Touch(string name, string content) => File.WriteAllText(Path.Combine(Source, name), content);

    /// <summary>Random, incompressible data so that a backup takes a while and has many volumes.</summary>
    public void AddRandomData(string name, int megabytes)
    {
        var buffer = new byte[1 << 20];
        using var f = File.Create(Path.Combine(Source, name));
        for (var i = 0; i < megabytes; i++)
        {
            RandomNumberGenerator.Fill(buffer);
            f.Write(buffer);
        }
    }

    public IReadOnlyList<string> BackupArgs(string action, params string[] extra)
    {
        var args = new List<string>();
        if (action.Length > 0) args.Add(action);
        args.AddRange(["--no-encryption", "--archive-dir", ArchiveDir, "--volsize", "5"]);
        args.AddRange(extra);
        args.AddRange([Source, Target]);
        return args;
    }

    /// <summary>Runs duplicity to completion in a cron-like environment (stdin at EOF) and returns its outcome.</summary>
    public ProcessOutcome Run(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? env = null)
        => ProcessRun.Run(Duplicity, args, Environment(env), TimeSpan.FromMinutes(5));

    public ProcessOutcome Full() => Run(BackupArgs("full"));

    public ProcessOutcome Incremental() => Run(BackupArgs("incremental"));

    /// <summary>Starts duplicity in the background (through CliWrap); the caller waits for what it needs.</summary>
    public BackgroundRun Start(IEnumerable<string> args)
    {
        var run = BackgroundRun.Start(Duplicity, args, Environment(null));
        _started.Add(run);
        return run;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, up to a minute.</summary>
    public static void WaitFor(Func<bool> condition, string what, int seconds = 60)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"gave up waiting for {what}");
            Thread.Sleep(50);
        }
    }

    public int VolumesAtTarget => Directory.EnumerateFiles(TargetDir, "*.difftar*").Count();

    private static Dictionary<string, string?> Environment(IReadOnlyDictionary<string, string?>? extra)
    {
        var env = new Dictionary<string, string?> { ["TZ"] = "UTC", ["LANG"] = "C.UTF-8", ["PASSPHRASE"] = null };
        if (extra is not null) foreach (var (k, v) in extra) env[k] = v;
        return env;
    }

    public void Dispose()
    {
        foreach (var p in _started) p.Dispose();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

using System.Globalization;
using System.Text;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Golden;

/// <summary>
/// The input tree of a golden run: a copy of ../shared/fixtures, and what the fixture tests build from it (caches
/// rebuilt from their <c>ls</c> listings, /proc roots rebuilt from the ps-during-backup captures, stdout+stderr of a
/// step as one log). Why a copy: every file gets the same fixed mtime (the log check falls back to a log's mtime
/// for its age, and a checkout's mtimes are its own), and the root is a path of fixed length that is replaced by
/// <see cref="Placeholder"/> in arguments and output (the only normalisation of paths).
/// </summary>
internal sealed class GoldenInputs : IDisposable
{
    public const string Placeholder = "<inputs>";

    /// <summary>2026-11-26 10:00:00 UTC: before the first recording of the corpus.</summary>
    public static readonly DateTime FixedMtime = DateTimeOffset.FromUnixTimeSeconds(1795687200).UtcDateTime;

    private GoldenInputs(string root, string jobsRoot)
    {
        Root = root;
        JobsRoot = jobsRoot;
    }

    /// <summary>/tmp/duplicity-checks-golden-XXXXXXXXXXXX: not TMPDIR, so that its length is the same everywhere.</summary>
    public string Root { get; }

    /// <summary>The folder of the job file (<see cref="GoldenJobs"/>).</summary>
    public string JobsRoot { get; }

    public static GoldenInputs Build()
    {
        var root = "/tmp/duplicity-checks-golden-" + Guid.NewGuid().ToString("N")[..12];
        Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var inputs = new GoldenInputs(root, GoldenJobs.CreateRoot());
        try
        {
            CopyTree(RepoPaths.Fixtures, Path.Combine(root, "fixtures"));
            foreach (var log in GoldenFixtures.SplitLogs()) JoinStreams(log, inputs.Derived(GoldenFixtures.JoinedLog(log)));
            foreach (var listing in GoldenFixtures.CacheListings()) RebuildCache(inputs.Fixture(listing), inputs.Derived(GoldenFixtures.RebuiltCache(listing)));
            foreach (var snapshot in GoldenFixtures.ProcFolderSnapshots()) RebuildProcRoot(inputs.Fixture(snapshot), inputs.Derived(GoldenFixtures.RebuiltProcRoot(snapshot)));
            Directory.CreateDirectory(Path.Combine(root, "derived", "empty-proc"));
            File.WriteAllText(Path.Combine(root, "derived", "empty-proc", "locks"), "");
            Directory.CreateDirectory(Path.Combine(root, "state"));
            SetMtimes(root);
            File.WriteAllText(Path.Combine(inputs.JobsRoot, "jobs.ini"), GoldenJobs.Text(root));
            return inputs;
        }
        catch
        {
            inputs.Dispose();
            throw;
        }
    }

    /// <summary>A path of the copy of ../shared/fixtures, as the arguments spell it.</summary>
    public static string FixtureArg(string relative) => $"{Placeholder}/fixtures/{relative}";

    /// <summary>Where what is built from the fixture <paramref name="relative"/> lies, as the arguments spell it.</summary>
    public static string DerivedArg(string relative) => $"{Placeholder}/derived/{relative}";

    public string Fixture(string relative) => Path.Combine(Root, "fixtures", relative);

    public string Derived(string relative) => Path.Combine(Root, "derived", relative);

    public string Resolve(string arg) => arg.Replace(Placeholder, Root, StringComparison.Ordinal).Replace(GoldenJobs.Placeholder, JobsRoot, StringComparison.Ordinal);

    /// <summary>Output with the two roots spelled as the arguments spell them.</summary>
    public string Unresolve(string output) => output.Replace(Root, Placeholder, StringComparison.Ordinal).Replace(JobsRoot, GoldenJobs.Placeholder, StringComparison.Ordinal);

    public void Dispose()
    {
        foreach (var dir in new[] { Root, JobsRoot })
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }

    /// <summary>stdout.txt then stderr.txt of a step as one file: the log form the log fixture tests judge.</summary>
    private static void JoinStreams(string stepRelative, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var source = Path.Combine(RepoPaths.Fixtures, stepRelative);
        File.WriteAllBytes(target, [.. File.ReadAllBytes(Path.Combine(source, "stdout.txt")), .. File.ReadAllBytes(Path.Combine(source, "stderr.txt"))]);
    }

    /// <summary>
    /// A recorded <c>ls -la</c> of a cache folder rebuilt below <paramref name="baseDir"/>/FOLDER: the same names, empty
    /// files, and each manifest with one volume (the real content was not recorded; a golden run needs the same input
    /// each time, not the true count). A listing of a folder that did not exist leaves <paramref name="baseDir"/> empty.
    /// </summary>
    private static void RebuildCache(string listingFile, string baseDir)
    {
        Directory.CreateDirectory(baseDir);
        var lines = File.ReadAllLines(listingFile);
        if (lines.Any(l => l.StartsWith("ls: cannot access", StringComparison.Ordinal))) return;
        var folder = Directory.CreateDirectory(Path.Combine(baseDir, GoldenFixtures.ListedFolder(listingFile))).FullName;
        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split(' ', 9, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 9 || fields[8] is "." or "..") continue;
            var path = Path.Combine(folder, fields[8]);
            if (fields[0][0] == 'd') Directory.CreateDirectory(path);
            else File.WriteAllText(path, fields[8].Contains(".manifest", StringComparison.Ordinal) ? OneVolumeManifest(!fields[8].EndsWith(".part", StringComparison.Ordinal)) : "");
        }
    }

    private static string OneVolumeManifest(bool complete)
        => "Hostname vm\nLocaldir /srv/backup/src\nVolume 1:\n    StartingPath   a 1\n    EndingPath     b 2\n    Hash SHA1 e7296dfe2b141673ac5075a2c07701f697e5b5a3\n"
            + (complete ? "Filelist 1\n    new      a\n" : "");

    /// <summary>
    /// A ps-during-backup snapshot's proc/PID-comm folders as a /proc-style root: PID/*, proc-locks.txt as locks, and a
    /// stat whose btime puts the duplicity process's start where ps's lstart says it was (btime is whole seconds:
    /// ceil(lstart - starttime ticks / 100)), as the process fixture tests rebuild it.
    /// </summary>
    private static void RebuildProcRoot(string snapshot, string into)
    {
        Directory.CreateDirectory(into);
        long? btime = null;
        foreach (var dir in Directory.EnumerateDirectories(Path.Combine(snapshot, "proc")).Order(StringComparer.Ordinal))
        {
            var pid = Path.GetFileName(dir).Split('-')[0];
            var target = Directory.CreateDirectory(Path.Combine(into, pid)).FullName;
            foreach (var file in Directory.EnumerateFiles(dir)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            if (!Path.GetFileName(dir).EndsWith("-duplicity", StringComparison.Ordinal)) continue;
            var stat = File.ReadAllText(Path.Combine(dir, "stat"));
            var ticks = long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19], CultureInfo.InvariantCulture);
            btime = (long)Math.Ceiling(LstartOf(snapshot, pid) - ticks / 100.0);
        }
        var text = new StringBuilder("cpu  1 2 3 4\n");
        if (btime is { } b) text.Append(CultureInfo.InvariantCulture, $"btime {b}\n");
        File.WriteAllText(Path.Combine(into, "stat"), text.Append("processes 1\n").ToString());
        var locks = Path.Combine(snapshot, "proc-locks.txt");
        if (File.Exists(locks)) File.Copy(locks, Path.Combine(into, "locks"));
    }

    /// <summary>The start of <paramref name="pid"/> in the snapshot's ps capture (lstart; the captures were taken in UTC).</summary>
    private static long LstartOf(string snapshot, string pid)
    {
        var line = File.ReadLines(Path.Combine(snapshot, "ps-eo-pid-ppid-user-lstart-etimes-args.txt"))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).First(f => f[0] == pid);
        var lstart = DateTime.ParseExact(string.Join(' ', line[3..8]), "ddd MMM d HH:mm:ss yyyy", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        return new DateTimeOffset(lstart, TimeSpan.Zero).ToUnixTimeSeconds();
    }

    private static void SetMtimes(string root)
    {
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)) File.SetLastWriteTimeUtc(file, FixedMtime);
        foreach (var dir in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length))
            Directory.SetLastWriteTimeUtc(dir, FixedMtime);
    }
}

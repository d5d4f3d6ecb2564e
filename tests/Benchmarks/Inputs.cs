using System.Globalization;
using System.Text;

namespace DuplicityChecks.Benchmarks;

/// <summary>
/// Benchmark inputs built from the recorded duplicity output (../shared/fixtures), repeated and re-dated the way
/// packaging/bench/generate.py does for the whole-process runs: weekly fulls, daily (or denser) incrementals.
/// </summary>
public static class Inputs
{
    private const long Newest = 1795687953; // Thu Nov 26 10:12:33 2026 UTC, a recorded full backup
    private const int SetsPerChain = 7;

    public static string Fixtures { get; } = FindFixtures();

    public static string Fixture(string relative) => File.ReadAllText(Path.Combine(Fixtures, "duplicity-0.8.22", relative));

    private static string FindFixtures()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Checks.sln")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fixtures"));
        }
        return Environment.GetEnvironmentVariable("DUPLICITY_FIXTURES") ?? throw new InvalidOperationException("fixtures not found (set DUPLICITY_FIXTURES)");
    }

    /// <summary>Set times, oldest first, cut into chains; the oldest chain takes the remainder.</summary>
    public static List<List<long>> Chains(int sets)
    {
        var step = Math.Min(86400, (Newest - 946684800) / sets);
        var times = Enumerable.Range(0, sets).Select(i => Newest - (sets - 1 - i) * step).ToList();
        var size = sets % SetsPerChain == 0 ? SetsPerChain : sets % SetsPerChain;
        var chains = new List<List<long>> { times[..size] };
        for (var i = size; i < sets; i += SetsPerChain) chains.Add(times.GetRange(i, SetsPerChain));
        return chains;
    }

    /// <summary>Python's time.asctime: the day padded with a blank.</summary>
    private static string AscTime(long t)
    {
        var d = DateTimeOffset.FromUnixTimeSeconds(t).UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture, $"{d:ddd MMM} {d.Day,2} {d:HH:mm:ss yyyy}");
    }

    private static string Stamp(long t) => DateTimeOffset.FromUnixTimeSeconds(t).UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>collection-status text as duplicity 0.8.22 prints it with TZ=UTC.</summary>
    public static List<string> StatusTextLines(int sets)
    {
        var chains = Chains(sets);
        var lines = new List<string>
        {
            $"Last full backup date: {AscTime(chains[^1][0])}", "Collection Status", "-----------------",
            "Connecting with backend: BackendWrapper", "Archive dir: /var/cache/duplicity/8a6149337754bfdeeaac7be6d449d8c8", "",
        };
        void Block(List<long> chain)
        {
            lines.Add($"Chain start time: {AscTime(chain[0])}");
            lines.Add($"Chain end time: {AscTime(chain[^1])}");
            lines.Add($"Number of contained backup sets: {chain.Count}");
            lines.Add($"Total number of contained volumes: {3 + chain.Count - 1}");
            lines.Add(" Type of backup set:                            Time:      Num volumes:");
            for (var i = 0; i < chain.Count; i++)
                lines.Add($"{(i == 0 ? "Full" : "Incremental"),20}         {AscTime(chain[i])}{(i == 0 ? 3 : 1),18}");
        }
        var secondary = chains.Count - 1;
        if (secondary > 0)
        {
            lines.Add($"Found {secondary} secondary backup chain{(secondary > 1 ? "s" : "")}.");
            for (var n = 0; n < secondary; n++)
            {
                lines.Add($"Secondary chain {n + 1} of {secondary}:");
                lines.Add("-------------------------");
                Block(chains[n]);
                lines.Add("-------------------------");
                lines.Add("");
            }
            lines.Add("");
        }
        else
        {
            lines.Add("Found 0 secondary backup chains.");
            lines.Add("");
        }
        lines.Add("Found primary backup chain with matching signature chain:");
        lines.Add("-------------------------");
        Block(chains[^1]);
        lines.Add("-------------------------");
        lines.Add("No orphaned or incomplete backup sets found.");
        return lines;
    }

    public static string StatusText(int sets) => string.Join('\n', StatusTextLines(sets)) + "\n\n";

    /// <summary>collection-status --log-fd output: the machine block, then the text with ". " prefixes.</summary>
    public static string MachineStatus(int sets)
    {
        var chains = Chains(sets);
        var text = StatusTextLines(sets);
        var sb = new StringBuilder();
        sb.Append("NOTICE 1\n. ").Append(text[0]).Append("\n\nINFO 3 \nbackend BackendWrapper\narchive-dir (. dir)\n");
        for (var n = 0; n < chains.Count; n++)
        {
            sb.Append(n < chains.Count - 1 ? $"chain-no-sig {n}\n" : "chain-complete\n");
            for (var i = 0; i < chains[n].Count; i++)
                sb.Append(i == 0 ? $" full {Stamp(chains[n][i])} 3 noenc\n" : $" inc {Stamp(chains[n][i])} 1 noenc\n");
        }
        sb.Append("orphaned-sets-num 0\nincomplete-sets-num 0\n");
        foreach (var line in text.Skip(1)) sb.Append(line.Length > 0 ? ". " + line : ". ").Append('\n');
        return sb.Append('\n').ToString();
    }

    /// <summary>The names of an archive dir with <paramref name="sets"/> sets (manifest and signatures per set).</summary>
    public static string[] ArchiveNames(int sets)
    {
        var names = new List<string>();
        foreach (var chain in Chains(sets))
        {
            names.Add($"duplicity-full.{Stamp(chain[0])}.manifest");
            names.Add($"duplicity-full-signatures.{Stamp(chain[0])}.sigtar.gz");
            for (var i = 1; i < chain.Count; i++)
            {
                names.Add($"duplicity-inc.{Stamp(chain[i - 1])}.to.{Stamp(chain[i])}.manifest");
                names.Add($"duplicity-new-signatures.{Stamp(chain[i - 1])}.to.{Stamp(chain[i])}.sigtar.gz");
            }
        }
        return [.. names];
    }

    /// <summary>A cron log of about <paramref name="bytes"/> bytes: recorded failures and successes; the last run succeeded.</summary>
    public static byte[] CronLog(int bytes)
    {
        var success = Fixture("full-plus-incrementals/02-backup-inc-1/stdout.txt");
        var orphans = Fixture("orphaned-backup-files/08-backup-next-run-with-orphans/stdout.txt");
        var eof = Fixture("gpg-no-passphrase-eoferror/01-backup-no-passphrase-cron-merged/output-merged.txt");
        var sb = new StringBuilder();
        while (sb.Length < bytes) sb.Append(eof).Append(orphans).Append(success).Append(success);
        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}

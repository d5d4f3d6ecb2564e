using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using DuplicityChecks.Duplicity.CollectionStatus;
using DuplicityChecks.Duplicity.Model;
using DuplicityChecks.Duplicity.Tests.CollectionStatus;

namespace DuplicityChecks.Duplicity.Tests.Robustness;

/// <summary>
/// Generated bad collection-status input (human text and machine log, through <see cref="StatusFileReader"/>,
/// which detects the form and streams into <see cref="StatusTextParser"/> or <see cref="MachineStatusParser"/> /
/// <see cref="DuplicityChecks.Duplicity.MachineLog.MachineLogReader"/>), made from every recorded collection-status.
/// </summary>
/// <remarks>
/// The oracle, beyond "a model or CheckException in bounded time":
/// <list type="bullet">
/// <item>an input the parser refuses stays refused under any damage except a date change (no listing is made out
/// of a failure message);</item>
/// <item>truncation, CRLF, a missing final newline, a BOM, the text twice, NUL bytes, invalid UTF-8 and lines from
/// a future duplicity either are refused or give exactly the original's facts (<see cref="Facts"/>);</item>
/// <item>a random byte flip either is refused or gives the original's facts, or it changed a fact that the input
/// states only once and that cannot be cross-checked (see <see cref="FlipMayChangeFacts"/>);</item>
/// <item>impossible dates (Feb 30, year 0) are refused in both forms (the machine form refuses a stamp that would
/// roll over, <see cref="DuplicityChecks.Duplicity.Model.DuplicityTime.IsCalendarExact"/>); year 1 and 9999, and
/// local times that daylight saving makes ambiguous, parse or are refused; skipped local times are refused.</item>
/// </list>
/// </remarks>
public class CollectionStatusRobustnessTests
{
    public sealed record Input(string Name, byte[] Bytes, bool Machine, TimeZoneInfo Zone);

    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    public static readonly string[] TextFuture =
    [
        "Found 1 tertiary backup chain(s).",
        "Chain verification: pending",
        " Type of backup set:                            Time:      Num volumes:   Encrypted:",
        "Warning: the archive dir uses a format from the future",
        "Collection Status v2",
    ];

    public static readonly string[] MachineFuture =
    [
        "INFO 99 future-code\n. a stanza duplicity 9 might write\n",
        "chain-verified yes",
        "WARNING 1\n. Found incomplete backup sets, probably left from aborted session\n",
        " full 20261126T104829Z 3 noenc extra-field",
        "backend BackendWrapper",
    ];

    // Impossible (refused): Feb 30, year 0. Edge (parse or refused): year 1 and 9999 in a zone east of UTC.
    // DST in Europe/Berlin: 02:30 on 29 Mar 2026 does not exist; 02:30 on 25 Oct 2026 happens twice.
    public static readonly string[] BadAscTimes = ["Mon Feb 30 10:00:00 2026", "Sat Jan  1 00:00:00 0000", "Fri Dec 31 23:59:59 9999", "Mon Jan  1 00:30:00 0001", "Sun Mar 29 02:30:00 2026", "Sun Oct 25 02:30:00 2026"];
    public static readonly string[] BadStamps = ["20260230T100000Z", "00000101T000000Z", "99991231T235959Z", "00010101T000000Z", "20261126T246000Z"];
    private static readonly Regex AscTimePattern = new(@"[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d \d{4}", RegexOptions.CultureInvariant);
    private static readonly Regex StampPattern = new(@"\d{8}T\d{6}Z", RegexOptions.CultureInvariant);

    /// <summary>Every distinct recorded collection-status: stdout (text) and log-fd3 (machine), including failed runs.</summary>
    public static IReadOnlyList<Input> Inputs()
    {
        var seen = new HashSet<string>();
        var inputs = new List<Input>();
        foreach (var step in FixtureStep.All.Where(s => s.IsCollectionStatus))
            foreach (var (file, machine) in new[] { ("stdout.txt", false), ("log-fd3.txt", true), ("output-merged.txt", false) })
            {
                if (!step.Has(file)) continue;
                var bytes = File.ReadAllBytes(step.PathOf(file));
                if (bytes.Length == 0 || !seen.Add(Convert.ToHexString(SHA256.HashData(bytes)))) continue;
                inputs.Add(new Input($"{step}/{file}", bytes, machine, step.Zone));
            }
        return inputs;
    }

    public static IEnumerable<(Input Input, Mutant Mutant, TimeZoneInfo Zone)> Cases()
    {
        var inputs = Inputs();
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            foreach (var m in Mutator.Of(input.Name, input.Bytes, seed: 1000 + i, input.Machine ? MachineFuture : TextFuture))
                yield return (input, m, input.Zone);
            foreach (var m in input.Machine
                         ? Mutator.DateVariants(input.Name, input.Bytes, StampPattern, BadStamps)
                         : Mutator.DateVariants(input.Name, input.Bytes, AscTimePattern, BadAscTimes))
                yield return (input, m, Berlin);
        }
        // The big ones, once per form: a 10 MB line and a million lines in front of a healthy listing.
        foreach (var input in inputs.Where(i => i.Name.Contains("full-plus-incrementals", StringComparison.Ordinal)).Take(2))
        {
            yield return (input, Mutator.HugeLine(input.Name, input.Bytes), input.Zone);
            yield return (input, Mutator.MillionLines(input.Name, input.Bytes, input.Machine ? "INFO 1" : "Reading filelist"), input.Zone);
        }
    }

    private static BackupCollection Parse(byte[] bytes, TimeZoneInfo zone, string name)
    {
        // As StatusFileReader.Read does for a file: UTF-8 with BOM detection, streamed.
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return StatusFileReader.Parse(reader, zone, name);
    }

    [Test]
    public void Every_generated_collection_status_parses_or_is_refused_and_never_changes_facts()
    {
        var contract = new ParserContract();
        var originals = new Dictionary<string, BackupCollection?>();
        var flipChanges = 0;
        foreach (var (input, mutant, zone) in Cases())
        {
            if (!originals.TryGetValue(input.Name, out var original))
            {
                try { original = Parse(input.Bytes, input.Zone, input.Name); }
                catch (DuplicityChecks.Plugin.CheckException) { original = null; }
                originals[input.Name] = original;
            }
            var (verdict, model) = contract.Run(mutant, b => Parse(b, zone, input.Name));
            if (verdict != Verdict.Parsed) continue;
            var facts = Facts.Of(model!);
            if (mutant.Kind == "date")
            {
                if (mutant.Description.Contains("Feb 30", StringComparison.Ordinal) || mutant.Description.Contains("0230T", StringComparison.Ordinal) || mutant.Description.Contains(" 0000'", StringComparison.Ordinal)
                    || mutant.Description.Contains("'0000", StringComparison.Ordinal) || mutant.Description.Contains("Mar 29 02:30", StringComparison.Ordinal))
                    if (original is null || facts != Facts.Of(original)) contract.Violate(mutant, $"an impossible date was accepted: {facts}");
                continue;
            }
            if (original is null)
            {
                contract.Violate(mutant, $"the original is refused, the damaged input parsed: {facts}");
                continue;
            }
            if (facts == Facts.Of(original)) continue;
            if (mutant.Kind is "flipped" or "nul" && (NoMoreOptimistic(original, model!) || InsideADate(input, mutant.Position)))
            {
                flipChanges++;
                continue;
            }
            contract.Violate(mutant, $"facts changed:\n  was {Facts.Of(original)}\n  now {facts}");
        }
        TestContext.Progress.WriteLine($"robustness collection-status: {flipChanges} byte flips changed a fact stated once (allowed)");
        contract.AssertClean("collection-status", 5000);
    }

    /// <summary>
    /// The damaged input gives a verdict that can only be worse: the last complete backup and the last full are
    /// not newer (or gone), and there are not fewer incomplete or orphaned sets. Such a change can never turn a
    /// failing check into OK.
    /// </summary>
    public static bool NoMoreOptimistic(BackupCollection original, BackupCollection damaged)
    {
        static DateTimeOffset Or(DateTimeOffset? t) => t ?? DateTimeOffset.MinValue;
        return Or(damaged.LastCompleteBackup?.Time) <= Or(original.LastCompleteBackup?.Time)
               && Or(damaged.LastCompleteFull?.Time) <= Or(original.LastCompleteFull?.Time)
               && damaged.IncompleteSets >= original.IncompleteSets
               && damaged.OrphanedSets >= original.OrphanedSets;
    }

    /// <summary>
    /// The changed byte lies inside a date: a digit changed there gives another valid date that, where it is stated
    /// once (every time in the machine log; middle rows of the text table), nothing can tell from the real one.
    /// The freshness check then judges that date (a future one is WARNING "clock skew?").
    /// </summary>
    private static bool InsideADate(Input input, int position)
    {
        var text = Encoding.Latin1.GetString(input.Bytes);
        return (input.Machine ? StampPattern : AscTimePattern).Matches(text).Any(m => position >= m.Index && position < m.Index + m.Length);
    }
}

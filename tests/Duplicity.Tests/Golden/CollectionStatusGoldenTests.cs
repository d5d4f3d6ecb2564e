using System.Globalization;
using System.Text;
using DuplicityChecks.Duplicity.CollectionStatus;
using DuplicityChecks.Duplicity.MachineLog;
using DuplicityChecks.Duplicity.Tests.CollectionStatus;
using DuplicityChecks.Duplicity.Tests.Robustness;

namespace DuplicityChecks.Duplicity.Tests.Golden;

/// <summary>
/// The collection-status parsers (the span parsers of issue 6: lines as spans over one buffer, the machine listing
/// read as it streams) against what they produced when recorded (<see cref="GoldenFile"/>): every recorded
/// collection-status in full, and every damaged variant the robustness tests make of it (truncations, flips, NULs,
/// invalid UTF-8, CRLF, no final newline, BOM, twice, future lines, bad dates) and lone-CR line ends as a line with
/// a digest of its whole model. The file reading, each parser on its own and (machine form) the parser over
/// stanzas must agree; so must readers that hand out a few characters at a time.
/// </summary>
public class CollectionStatusGoldenTests
{
    private const string Family = "CollectionStatus";
    private const string StanzaFamily = "MachineLog";

    private static StreamReader Reader(byte[] bytes) => new(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);

    private static string FileReading(byte[] bytes, TimeZoneInfo zone)
        => CollectionStatusDump.Outcome(() =>
        {
            using var reader = Reader(bytes);
            return StatusFileReader.Parse(reader, zone, "in");
        });

    /// <summary>Each parser on its own, and for the machine form the parser over stanzas, must give the same.</summary>
    private static string ParserAlone(byte[] bytes, bool machine, TimeZoneInfo zone)
    {
        var text = Reader(bytes).ReadToEnd();
        if (!machine) return CollectionStatusDump.Outcome(() => StatusTextParser.Parse(text, zone, "in"));
        var alone = CollectionStatusDump.Outcome(() => MachineStatusParser.Parse(text, "in"));
        var stanzas = CollectionStatusDump.Outcome(() => MachineStatusParser.Parse(MachineLogReader.Read(new StringReader(text)), "in"));
        stanzas.Should().Be(alone, "the machine parser reads a log and its stanzas alike");
        return alone;
    }

    private static IEnumerable<TestCaseData> Cases()
        => CollectionStatusRobustnessTests.Inputs().Select(i => new TestCaseData(i.Name).SetName($"Collection_status_reads_as_recorded({i.Name})"));

    [TestCaseSource(nameof(Cases))]
    public void Collection_status_reads_as_recorded(string name)
    {
        var input = CollectionStatusRobustnessTests.Inputs().Single(i => i.Name == name);
        var text = new StringBuilder();
        var file = FileReading(input.Bytes, input.Zone);
        text.Append(file);
        var alone = ParserAlone(input.Bytes, input.Machine, input.Zone);
        text.Append(alone == file ? "each parser on its own: the same\n" : "each parser on its own:\n" + alone);
        foreach (var chunk in new[] { 1, 5, 4093 })
            foreach (var bytes in new[] { input.Bytes, Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(input.Bytes).Replace("\n", "\r\n")) })
                CollectionStatusDump.Outcome(() => StatusFileReader.Parse(new TrickleReader(Reader(bytes).ReadToEnd(), chunk), input.Zone, "in"))
                    .Should().Be(FileReading(bytes, input.Zone), $"{name} read {chunk} characters at a time");

        text.Append("\ndamaged variants:\n");
        var variants = CollectionStatusRobustnessTests.Cases()
            .Where(c => c.Input.Name == name && c.Mutant.Kind is not ("huge-line" or "million-lines"))
            .Select(c => (c.Mutant.Description, Bytes: c.Mutant.Bytes(), c.Zone))
            .Append(($"{name}: lone CR line ends", Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(input.Bytes).Replace('\n', '\r')), input.Zone));
        foreach (var (description, bytes, zone) in variants)
        {
            var outcome = FileReading(bytes, zone);
            var parser = ParserAlone(bytes, input.Machine, zone);
            text.Append(description[(name.Length + 2)..]).Append(": ").Append(CollectionStatusDump.Summary(outcome));
            if (parser != outcome) text.Append("; on its own: ").Append(CollectionStatusDump.Summary(parser));
            if (input.Machine) text.Append("; stanzas #").Append(CollectionStatusDump.Digest(Stanzas(Reader(bytes).ReadToEnd())));
            text.Append('\n');
        }
        GoldenFile.Check(Family, GoldenFile.NameOf(name), text.ToString());
    }

    [Test]
    public void Every_collection_status_has_its_recording()
        => GoldenFile.CheckComplete(Family, [.. CollectionStatusRobustnessTests.Inputs().Select(i => GoldenFile.NameOf(i.Name)), GoldenFile.NameOf(TenThousand)], 50);

    private const string TenThousand = "ten-thousand-sets";

    [Test]
    public void Ten_thousand_sets_in_both_forms_read_as_recorded()
    {
        var (text, machine) = TenThousandSets();
        var golden = new StringBuilder();
        foreach (var (name, input) in new[] { ("text", text), ("machine", machine) })
        {
            var bytes = Encoding.UTF8.GetBytes(input);
            var outcome = FileReading(bytes, TimeZoneInfo.Utc);
            outcome.Should().NotStartWith("refused");
            CollectionStatusDump.Outcome(() => StatusFileReader.Parse(new TrickleReader(input, 4093), TimeZoneInfo.Utc, "in")).Should().Be(outcome, name + " in reads of 4093");
            // A damaged row deep in the listing is refused with its line number.
            var marker = name == "text" ? "         Incremental         " : " inc ";
            var at = input.IndexOf(marker, input.Length / 4, StringComparison.Ordinal) + marker.Length + 5; // the month / the day
            var refused = FileReading(Encoding.UTF8.GetBytes(string.Concat(input.AsSpan(0, at), "x", input.AsSpan(at + 1))), TimeZoneInfo.Utc);
            refused.Should().StartWith("refused").And.Contain("line");
            golden.Append(name).Append(": ").Append(outcome.Split('\n').Length - 1).Append(" lines, ").Append(CollectionStatusDump.Summary(outcome)).Append('\n')
                .Append(name).Append(" damaged: ").Append(refused);
        }
        GoldenFile.Check(Family, GoldenFile.NameOf(TenThousand), golden.ToString());
    }

    private static List<FixtureStep> MachineLogSteps() => [.. FixtureStep.All.Where(s => s.Has("log-fd3.txt"))];

    private static IEnumerable<TestCaseData> MachineLogs()
        => MachineLogSteps().Select(s => new TestCaseData(s.ToString()).SetName($"Machine_log_stanzas_read_as_recorded({s})"));

    private static string Stanzas(string text) => string.Concat(MachineLogReader.Read(new StringReader(text)).Select(s => CollectionStatusDump.Stanza(s) + "\n"));

    [TestCaseSource(nameof(MachineLogs))]
    public void Machine_log_stanzas_read_as_recorded(string step)
    {
        var text = File.ReadAllText(MachineLogSteps().Single(s => s.ToString() == step).PathOf("log-fd3.txt"));
        var stanzas = Stanzas(text);
        var golden = new StringBuilder(stanzas.Length == 0 ? "no stanzas\n" : stanzas);
        foreach (var (name, variant) in new[] { ("CRLF", text.Replace("\n", "\r\n")), ("lone CR", text.Replace('\n', '\r')) })
        {
            var read = Stanzas(variant);
            string.Concat(MachineLogReader.Read(new TrickleReader(variant, 3)).Select(s => CollectionStatusDump.Stanza(s) + "\n"))
                .Should().Be(read, $"{step} with {name} line ends, read 3 characters at a time");
            golden.Append(name).Append(" line ends: ").Append(read == stanzas ? "the same" : "#" + CollectionStatusDump.Digest(read)).Append('\n');
        }
        GoldenFile.Check(StanzaFamily, GoldenFile.NameOf(step), golden.ToString());
    }

    [Test]
    public void Every_machine_log_has_its_recording()
        => GoldenFile.CheckComplete(StanzaFamily, [.. MachineLogSteps().Select(s => GoldenFile.NameOf(s.ToString()))], 50);

    /// <summary>10,000 sets in 1,429 chains, text (UTC) and machine form, as the benchmark's generator lays them out.</summary>
    private static (string Text, string Machine) TenThousandSets()
    {
        var text = new StringBuilder("Last full backup date: Fri Nov 20 12:42:33 2026\nCollection Status\n-----------------\nConnecting with backend: BackendWrapper\nArchive dir: /var/cache/duplicity/abc\n\n");
        var machine = new StringBuilder("NOTICE 1\n. Last full backup date: Fri Nov 20 12:42:33 2026\n\nINFO 3 \nbackend BackendWrapper\narchive-dir (. dir)\n");
        var message = new StringBuilder(". Collection Status\n. -----------------\n. Archive dir: /var/cache/duplicity/abc\n");
        const int chains = 1429;
        var time = new DateTime(2000, 1, 2, 0, 27, 33, DateTimeKind.Utc);
        text.Append($"Found {chains - 1} secondary backup chains.\n");
        var sets = 0;
        for (var c = 0; c < chains; c++)
        {
            var n = Math.Min(c == 0 ? 4 : 7, 10_000 - sets);
            var times = Enumerable.Range(0, n).Select(i => time.AddMinutes(1415 * i)).ToList();
            time = times[^1].AddMinutes(1415);
            sets += n;
            var primary = c == chains - 1;
            text.Append(primary ? "Found primary backup chain with matching signature chain:\n" : $"Secondary chain {c + 1} of {chains - 1}:\n")
                .Append("-------------------------\n")
                .Append($"Chain start time: {Asc(times[0])}\nChain end time: {Asc(times[^1])}\n")
                .Append($"Number of contained backup sets: {n}\nTotal number of contained volumes: {n + 2}\n")
                .Append(" Type of backup set:                            Time:      Num volumes:\n");
            machine.Append(primary ? "chain-complete\n" : $"chain-no-sig {c}\n");
            for (var i = 0; i < n; i++)
            {
                text.Append(i == 0 ? "                Full         " : "         Incremental         ").Append(Asc(times[i])).Append(i == 0 ? "                 3\n" : "                 1\n");
                machine.Append(i == 0 ? " full " : " inc ").Append(times[i].ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)).Append(i == 0 ? " 3 noenc\n" : " 1 noenc\n");
                message.Append(". ").Append(i == 0 ? "                Full         " : "         Incremental         ").Append(Asc(times[i])).Append('\n');
            }
            text.Append("-------------------------\n\n");
        }
        text.Append("No orphaned or incomplete backup sets found.\n");
        machine.Append("orphaned-sets-num 0\nincomplete-sets-num 0\n").Append(message).Append(". No orphaned or incomplete backup sets found.\n\n");
        return (text.ToString(), machine.ToString());

        static string Asc(DateTime t) => t.ToString("ddd MMM ", CultureInfo.InvariantCulture) + t.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2) + t.ToString(" HH:mm:ss yyyy", CultureInfo.InvariantCulture);
    }
}

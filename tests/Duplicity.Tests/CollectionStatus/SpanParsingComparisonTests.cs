using System.Globalization;
using System.Text;
using DuplicityChecks.Duplicity.CollectionStatus;
using DuplicityChecks.Duplicity.MachineLog;
using DuplicityChecks.Duplicity.Model;
using DuplicityChecks.Duplicity.Tests.CollectionStatus.Reference;
using DuplicityChecks.Duplicity.Tests.Robustness;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Tests.CollectionStatus;

/// <summary>
/// The span parsers (issue 6: lines as spans over one buffer, the machine listing read as it streams) against the
/// reading they replaced, frozen in <c>Reference/</c>: on every recorded collection-status, every damaged variant
/// the robustness tests make of it (truncations, flips, NULs, invalid UTF-8, CRLF, no final newline, BOM, twice,
/// future lines, bad dates), lone-CR line ends, readers that hand out a few characters at a time, and 10,000 sets.
/// Same model in every detail (<see cref="Describe"/>), or the same <see cref="CheckException"/> message.
/// </summary>
public class SpanParsingComparisonTests
{
    /// <summary>Everything a parse gives: the model in full, or the refusal's message.</summary>
    private static string Outcome(Func<BackupCollection> parse)
    {
        try
        {
            return Describe(parse());
        }
        catch (CheckException e)
        {
            return "refused: " + e.Message;
        }
    }

    private static string Describe(BackupCollection c)
    {
        var sb = new StringBuilder();
        sb.Append($"{c.Name}|{c.Source}|{c.SourceDescription}|{c.DuplicityVersion}|inc {c.IncompleteSets}|orph {c.OrphanedSets}|newest {c.NewestSetMayBeIncomplete}|lock {c.Lock}\n");
        foreach (var chain in c.Chains)
        {
            sb.Append(chain.Kind).Append(':');
            foreach (var s in chain.Sets) sb.Append(' ').Append(Set(s));
            sb.Append('\n');
        }
        foreach (var s in c.IncompleteSetList) sb.Append("incomplete ").Append(Set(s)).Append('\n');
        foreach (var w in c.Warnings) sb.Append("warning ").Append(w).Append('\n');
        return sb.ToString();
    }

    private static string Set(BackupSet s)
        => $"{s.Type}/{s.Time.ToString("O", CultureInfo.InvariantCulture)}/{s.Volumes}/{s.Encrypted}/{s.Complete}/{s.StartTime?.ToString("O", CultureInfo.InvariantCulture)}";

    private static StreamReader Reader(byte[] bytes) => new(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);

    /// <summary>StatusFileReader.Parse as it was: look-ahead through the replay reader, then the string parsers.</summary>
    private static BackupCollection ReferenceParse(byte[] bytes, TimeZoneInfo zone)
    {
        using var reader = Reader(bytes);
        var replay = new ReferenceReplayReader(reader);
        var machine = false;
        var nonBlank = 0;
        string? line;
        while (nonBlank < 20 && (line = replay.BufferLine()) is not null)
        {
            if (line.Length == 0) continue;
            nonBlank++;
            if (ReferenceMachineLogReader.IsStanzaStart(line))
            {
                machine = true;
                break;
            }
        }
        replay.Rewind();
        return machine ? ReferenceMachineStatusParser.Parse(replay, "in") : ReferenceStatusTextParser.Parse(replay, zone, "in");
    }

    private static BackupCollection Parse(byte[] bytes, TimeZoneInfo zone)
    {
        using var reader = Reader(bytes);
        return StatusFileReader.Parse(reader, zone, "in");
    }

    private static IEnumerable<(string Name, byte[] Bytes, bool Machine, TimeZoneInfo Zone)> Cases()
    {
        foreach (var (input, mutant, zone) in CollectionStatusRobustnessTests.Cases())
        {
            if (mutant.Kind is "huge-line" or "million-lines") continue; // the robustness test runs those; 10,000 sets are below
            yield return (mutant.Description, mutant.Bytes(), input.Machine, zone);
        }
        foreach (var input in CollectionStatusRobustnessTests.Inputs())
            yield return (input.Name + ": lone CR line ends", Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(input.Bytes).Replace('\n', '\r')), input.Machine, input.Zone);
    }

    [Test]
    public void Every_recorded_collection_status_and_every_damaged_variant_give_what_the_string_reading_gave()
    {
        var compared = 0;
        var parsed = 0;
        var differences = new List<string>();
        foreach (var (name, bytes, _, zone) in Cases())
        {
            var expected = Outcome(() => ReferenceParse(bytes, zone));
            var actual = Outcome(() => Parse(bytes, zone));
            compared++;
            if (!expected.StartsWith("refused", StringComparison.Ordinal)) parsed++;
            if (actual != expected) differences.Add($"{name}:\n  was: {expected}\n  now: {actual}");
        }
        differences.Should().BeEmpty();
        compared.Should().BeGreaterThan(5000);
        parsed.Should().BeGreaterThan(500, "the comparison must cover models, not only refusals");
    }

    [Test]
    public void Each_parser_on_its_own_and_the_stanza_path_give_what_the_string_reading_gave()
    {
        var differences = new List<string>();
        foreach (var (name, bytes, machine, zone) in Cases())
        {
            var text = Reader(bytes).ReadToEnd();
            if (machine)
            {
                var expected = Outcome(() => ReferenceMachineStatusParser.Parse(text, "in"));
                Check(name + " (machine)", expected, Outcome(() => MachineStatusParser.Parse(text, "in")));
                Check(name + " (stanzas)", expected, Outcome(() => MachineStatusParser.Parse(MachineLogReader.Read(new StringReader(text)), "in")));
            }
            else
            {
                Check(name + " (text)", Outcome(() => ReferenceStatusTextParser.Parse(text, zone, "in")), Outcome(() => StatusTextParser.Parse(text, zone, "in")));
            }
        }
        differences.Should().BeEmpty();

        void Check(string name, string expected, string actual)
        {
            if (actual != expected) differences.Add($"{name}:\n  was: {expected}\n  now: {actual}");
        }
    }

    [TestCase(1)]
    [TestCase(5)]
    [TestCase(4093)]
    public void Lines_split_across_reads_give_the_same_model(int chunk)
    {
        foreach (var input in CollectionStatusRobustnessTests.Inputs())
            foreach (var bytes in new[] { input.Bytes, Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(input.Bytes).Replace("\n", "\r\n")) })
            {
                var text = Reader(bytes).ReadToEnd();
                var expected = Outcome(() => ReferenceParse(bytes, input.Zone));
                Outcome(() => StatusFileReader.Parse(new TrickleReader(text, chunk), input.Zone, "in")).Should().Be(expected, input.Name);
            }
    }

    [Test]
    public void Ten_thousand_sets_in_both_forms_give_the_same_model_as_the_string_reading()
    {
        var (text, machine) = TenThousandSets();
        foreach (var (name, input) in new[] { ("text", text), ("machine", machine) })
        {
            var bytes = Encoding.UTF8.GetBytes(input);
            var expected = Outcome(() => ReferenceParse(bytes, TimeZoneInfo.Utc));
            expected.Should().NotStartWith("refused");
            Outcome(() => Parse(bytes, TimeZoneInfo.Utc)).Should().Be(expected, name);
            Outcome(() => StatusFileReader.Parse(new TrickleReader(input, 4093), TimeZoneInfo.Utc, "in")).Should().Be(expected, name + " in reads of 4093");
            // A damaged row deep in the listing is refused with the same message and line number.
            var marker = name == "text" ? "         Incremental         " : " inc ";
            var at = input.IndexOf(marker, input.Length / 4, StringComparison.Ordinal) + marker.Length + 5; // the month / the day
            var damaged = Encoding.UTF8.GetBytes(string.Concat(input.AsSpan(0, at), "x", input.AsSpan(at + 1)));
            var refused = Outcome(() => ReferenceParse(damaged, TimeZoneInfo.Utc));
            refused.Should().StartWith("refused").And.Contain("line");
            Outcome(() => Parse(damaged, TimeZoneInfo.Utc)).Should().Be(refused, name + " damaged");
        }
    }

    [Test]
    public void Machine_log_stanzas_are_the_ones_the_string_reading_made()
    {
        var files = FixtureStep.All.Where(s => s.Has("log-fd3.txt")).Select(s => s.PathOf("log-fd3.txt")).ToList();
        files.Should().HaveCountGreaterThan(50);
        var texts = files.Select(File.ReadAllText)
            .Concat(CollectionStatusRobustnessTests.Cases().Where(c => c.Input.Machine && c.Mutant.Kind is not ("huge-line" or "million-lines")).Select(c => Reader(c.Mutant.Bytes()).ReadToEnd()));
        var count = 0;
        foreach (var text in texts)
            foreach (var variant in new[] { text, text.Replace("\n", "\r\n"), text.Replace('\n', '\r') })
            {
                var expected = ReferenceMachineLogReader.Read(new StringReader(variant)).Select(Show).ToList();
                MachineLogReader.Read(new StringReader(variant)).Select(Show).Should().Equal(expected);
                MachineLogReader.Read(new TrickleReader(variant, 3)).Select(Show).Should().Equal(expected);
                count += expected.Count;
            }
        count.Should().BeGreaterThan(1000);

        static string Show(MachineLogStanza s)
            => $"{s.Level}|{s.Code}|{s.Extra}|{s.LineNumber}|{string.Join("\u241E", s.ExtraLines)}|{string.Join("\u241E", s.Message)}";
    }

    [Test]
    public void Four_words_are_split_as_Split_with_RemoveEmptyEntries_splits_them()
    {
        var random = new Random(4);
        var alphabet = "  ab\t";
        Span<Range> expected = stackalloc Range[5];
        Span<Range> actual = stackalloc Range[4];
        var fours = 0;
        for (var k = 0; k < 20_000; k++)
        {
            var text = new string(Enumerable.Range(0, random.Next(0, 16)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            var four = text.AsSpan().Split(expected, ' ', StringSplitOptions.RemoveEmptyEntries) == 4;
            MachineStatusParser.TrySplitFour(text, actual).Should().Be(four, $"'{text}'");
            if (!four) continue;
            fours++;
            for (var p = 0; p < 4; p++) actual[p].Should().Be(expected[p], $"word {p} of '{text}'");
        }
        fours.Should().BeGreaterThan(500);
        MachineStatusParser.TrySplitFour(" full 20261126T101333Z  3 enc ", actual).Should().BeTrue();
        MachineStatusParser.TrySplitFour("full 20261126T101333Z 3 enc x", actual).Should().BeFalse();
    }

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

    private sealed class TrickleReader(string text, int chunk) : TextReader
    {
        private int position;

        public override string? ReadLine()
        {
            // As a StreamReader would: the look-ahead of StatusFileReader reads whole lines.
            if (position >= text.Length) return null;
            var rest = text.AsSpan(position);
            var end = rest.IndexOfAny('\r', '\n');
            if (end < 0)
            {
                position = text.Length;
                return rest.ToString();
            }
            var line = rest[..end].ToString();
            position += end + (rest[end] == '\r' && end + 1 < rest.Length && rest[end + 1] == '\n' ? 2 : 1);
            return line;
        }

        public override int Read(char[] buffer, int index, int count)
        {
            var n = Math.Min(Math.Min(count, chunk), text.Length - position);
            text.CopyTo(position, buffer, index, n);
            position += n;
            return n;
        }
    }
}

using DuplicityChecks.Duplicity.CollectionStatus;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Duplicity.Tests.CollectionStatus;

/// <summary>
/// The hand-written set-row matcher accepts exactly what the specification regex accepts, with the same parts:
/// every line of every recorded output, and every one-character mutation of the distinct set rows.
/// </summary>
public class SetRowParserTests
{
    private static readonly char[] Replacements = [' ', '\t', '0', '7', 'a', 'A', ':', '.', '\u0663', '\u00a0', 'x'];

    private static IEnumerable<string> RecordedLines()
    {
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Fixtures, "*.txt", SearchOption.AllDirectories))
        {
            if (Path.GetFileName(file) is not ("stdout.txt" or "output-merged.txt" or "log-fd3.txt" or "stderr.txt")) continue;
            foreach (var line in File.ReadLines(file))
            {
                yield return line;
                if (line.StartsWith(". ", StringComparison.Ordinal)) yield return line[2..];
            }
        }
    }

    private static void Compare(string line)
    {
        var m = StatusTextLabels.SetRow().Match(line);
        var ok = SetRowParser.TryMatch(line, out var parts);
        if (ok != m.Success) Assert.Fail($"regex {(m.Success ? "matches" : "does not match")}, parser {(ok ? "matches" : "does not")}: '{line}'");
        if (!ok) return;
        line[parts.Type].Should().Be(m.Groups["type"].Value, line);
        line[parts.Time].Should().Be(m.Groups["time"].Value, line);
        line[parts.Volumes].Should().Be(m.Groups["vols"].Value, line);
    }

    [Test]
    public void Every_recorded_line_gets_the_same_answer()
    {
        var rows = 0;
        foreach (var line in RecordedLines())
        {
            Compare(line);
            if (StatusTextLabels.SetRow().IsMatch(line)) rows++;
        }
        rows.Should().BeGreaterThan(100, "the fixtures hold many set rows");
    }

    [Test]
    public void Every_one_character_mutation_of_a_set_row_gets_the_same_answer()
    {
        var rows = RecordedLines().Where(l => StatusTextLabels.SetRow().IsMatch(l)).Distinct().Take(400).ToList();
        rows.Should().NotBeEmpty();
        rows.Add("   Full   Thu Nov  5 10:12:33 2026 3");
        rows.Add("Full Backup Set   Mon Jan 1 00:00:00 2024    12");
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                Compare(row.Remove(i, 1));
                Compare(row.Insert(i, row[i].ToString()));
                foreach (var c in Replacements) Compare(row[..i] + c + row[(i + 1)..]);
            }
        }
    }
}

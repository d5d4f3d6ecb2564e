using System.Text;

namespace DuplicityChecks.Checks.Tests.Log;

/// <summary>One damaged variant of a log's Backup Statistics block.</summary>
public sealed record StatisticsMutant(string Kind, string Description, string Text)
{
    public override string ToString() => Description;
}

/// <summary>
/// Targeted mutants of the Backup Statistics block of a real log (text, cron-merged or machine form): each line
/// dropped, repeated, with a leading or a trailing blank; each number garbled (a letter for a digit, the digits
/// removed, a point inserted); the Errors value changed; neighbouring lines swapped; the log cut at every byte from
/// the block's first line to the end of its closing dashes. None of these is the block duplicity prints, so none
/// may read as a successful backup. Seeded: the same cases every run.
/// </summary>
public static class StatisticsMutator
{
    private static readonly string[] ErrorValues = ["3", "1", "10", "-1", "0.0", "03", "3 ", " 3", "", "x", "3x", "0 3", "9999999999999999999"];

    /// <summary>The block's lines in <paramref name="text"/>: the first (heading, or its stanza's keyword line) and the closing line.</summary>
    public static (int First, int Closing)? Locate(string[] lines)
    {
        var heading = Array.FindIndex(lines, l => l.Contains("[ Backup Statistics ]", StringComparison.Ordinal));
        if (heading < 0) return null;
        var closing = -1;
        for (var i = heading + 1; i < lines.Length && closing < 0; i++)
            if (Content(lines[i]).Length >= 10 && Content(lines[i]).All(c => c == '-')) closing = i;
        if (closing < 0) return null;
        var first = heading > 0 && lines[heading].StartsWith(". ", StringComparison.Ordinal) && lines[heading - 1].StartsWith("NOTICE ", StringComparison.Ordinal)
            ? heading - 1 : heading;
        return (first, closing);
    }

    /// <summary>The line without the machine log's ". " prefix.</summary>
    private static string Content(string line) => line.StartsWith(". ", StringComparison.Ordinal) ? line[2..] : line;

    private static string Prefix(string line) => line.StartsWith(". ", StringComparison.Ordinal) ? ". " : "";

    public static IEnumerable<StatisticsMutant> Of(string name, string text, int seed)
    {
        var lines = text.Split('\n');
        if (Locate(lines) is not var (first, closing)) yield break;
        var rng = new Random(seed);
        string Join(IEnumerable<string> ls) => string.Join('\n', ls);
        string With(int i, string line) => Join(lines.Select((l, k) => k == i ? line : l));

        for (var i = first; i <= closing; i++)
        {
            var at = i;
            yield return new("drop", $"{name}: line {at + 1} dropped", Join(lines.Where((_, k) => k != at)));
            // A repeated keyword line is an empty stanza of its own before the block's, which stays whole.
            if (!lines[at].StartsWith("NOTICE", StringComparison.Ordinal))
                yield return new("repeat", $"{name}: line {at + 1} repeated", Join(lines.Take(at + 1).Append(lines[at]).Concat(lines.Skip(at + 1))));
            var prefix = Prefix(lines[at]);
            var content = lines[at][prefix.Length..];
            // The machine log's keyword line may end in a blank ("INFO 3 " is real): blanks damage the block's own lines.
            if (!lines[at].StartsWith("NOTICE", StringComparison.Ordinal))
            {
                yield return new("leading-blank", $"{name}: line {at + 1} with a leading blank", With(at, prefix + " " + content));
                yield return new("trailing-blank", $"{name}: line {at + 1} with a trailing blank", With(at, lines[at] + " "));
            }
            if (i < closing)
                yield return new("swap", $"{name}: lines {at + 1} and {at + 2} swapped",
                    Join(lines.Select((l, k) => k == at ? lines[at + 1] : k == at + 1 ? lines[at] : l)));
        }

        // Every number of every statistics line, value and parenthesised part (not the time stamp a heading may carry).
        for (var i = first; i < closing; i++)
        {
            var line = lines[i];
            var prefix = Prefix(line);
            if (line.Contains("[ Backup Statistics ]", StringComparison.Ordinal) || line.StartsWith("NOTICE", StringComparison.Ordinal)) continue;
            foreach (var (start, length) in Numbers(line, prefix.Length))
            {
                var digit = start + rng.Next(length);
                var letter = "OlxS?"[rng.Next(5)];
                yield return new("garble", $"{name}: line {i + 1} byte {digit}: '{line[digit]}' -> '{letter}'", With(i, line[..digit] + letter + line[(digit + 1)..]));
                yield return new("garble", $"{name}: line {i + 1}: '{line.Substring(start, length)}' removed", With(i, line[..start] + line[(start + length)..]));
                var cut = start + 1 + rng.Next(length);
                yield return new("garble", $"{name}: line {i + 1}: a point at byte {cut}", With(i, line[..cut] + "." + line[cut..]));
            }
        }

        var errorsLine = Array.FindIndex(lines, first, closing - first, l => Content(l).StartsWith("Errors ", StringComparison.Ordinal));
        if (errorsLine >= 0)
            foreach (var value in ErrorValues)
                yield return new("errors", $"{name}: 'Errors {value}'", With(errorsLine, Prefix(lines[errorsLine]) + "Errors " + value));

        // Cut at every byte from the block's first line up to (not including) the end of its closing dashes.
        var from = Encoding.UTF8.GetByteCount(Join(lines.Take(first))) + (first > 0 ? 1 : 0);
        var to = Encoding.UTF8.GetByteCount(Join(lines.Take(closing + 1)));
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var k = from; k < to; k++)
            yield return new("truncated", $"{name}: cut at byte {k}", Encoding.UTF8.GetString(bytes, 0, k));
    }

    private static IEnumerable<(int Start, int Length)> Numbers(string line, int from)
    {
        for (var i = from; i < line.Length; i++)
        {
            if (!char.IsAsciiDigit(line[i])) continue;
            var start = i;
            while (i < line.Length && char.IsAsciiDigit(line[i])) i++;
            yield return (start, i - start);
        }
    }
}

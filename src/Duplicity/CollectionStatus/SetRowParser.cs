namespace DuplicityChecks.Duplicity.CollectionStatus;

/// <summary>The parts of a set row, as ranges of the line.</summary>
public readonly record struct SetRowParts(Range Type, Range Time, Range Volumes);

/// <summary>
/// Matches a set row of the collection-status table exactly as <see cref="StatusTextLabels.SetRow"/> (the
/// specification, kept and compared in the tests) but without the regex engine: read from the right, where the
/// layout is fixed (volumes, date), then the type label. The regex was the main cost of parsing 10,000 sets.
/// <c>^ *(?&lt;type&gt;\S+(?: \S+)*) {3,}(?&lt;time&gt;[A-Z][a-z]{2} [A-Z][a-z]{2} {1,2}\d{1,2} \d\d:\d\d:\d\d \d{4}) +(?&lt;vols&gt;\d+)$</c>
/// (\d is any Unicode decimal digit and \S any non-white-space character, as in .NET regular expressions;
/// a line from ReadLine holds no line break, so <c>$</c> is the end).
/// </summary>
public static class SetRowParser
{
    public static bool TryMatch(ReadOnlySpan<char> s, out SetRowParts parts)
    {
        parts = default;
        // (?<vols>\d+)$ preceded by " +"
        var end = s.Length;
        var i = end;
        while (i > 0 && char.IsDigit(s[i - 1])) i--;
        if (i == end) return false;
        var volumes = i..end;
        // The runs of blanks are long (column padding): skipped with the vectorised searches.
        var j = s[..i].LastIndexOfAnyExcept(' ') + 1;
        if (j == i) return false;

        // The date: "Www Mmm dD HH:MM:SS YYYY", the day padded by one or two blanks.
        var timeEnd = j;
        if (j < 5 || !Digits(s, j - 4, 4) || s[j - 5] != ' ') return false;
        j -= 5;
        if (j < 9 || !char.IsDigit(s[j - 8]) || !char.IsDigit(s[j - 7]) || s[j - 6] != ':' || !char.IsDigit(s[j - 5])
            || !char.IsDigit(s[j - 4]) || s[j - 3] != ':' || !char.IsDigit(s[j - 2]) || !char.IsDigit(s[j - 1]) || s[j - 9] != ' ')
            return false;
        j -= 9;
        var day = j;
        while (day > 0 && j - day < 2 && char.IsDigit(s[day - 1])) day--;
        if (day == j) return false;
        j = day;
        var blank = j;
        while (blank > 0 && j - blank < 2 && s[blank - 1] == ' ') blank--;
        if (blank == j) return false;
        j = blank;
        if (j < 7 || !Word(s, j - 3) || s[j - 4] != ' ' || !Word(s, j - 7)) return false;
        j -= 7;
        var time = j..timeEnd;

        // " {3,}" before the date; the type label ends at a non-blank.
        var typeEnd = s[..j].LastIndexOfAnyExcept(' ') + 1;
        if (j - typeEnd < 3) return false;
        // "^ *" then "\S+(?: \S+)*": words of non-white-space separated by single blanks.
        var typeStart = s[..typeEnd].IndexOfAnyExcept(' ');
        if (typeStart < 0) return false;
        for (var x = typeStart; x < typeEnd; x++)
        {
            var c = s[x];
            if (c == ' ')
            {
                if (s[x - 1] == ' ') return false;
            }
            else if (char.IsWhiteSpace(c)) return false;
        }
        parts = new SetRowParts(typeStart..typeEnd, time, volumes);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, int start, int count)
    {
        for (var k = start; k < start + count; k++)
            if (!char.IsDigit(s[k])) return false;
        return true;
    }

    // [A-Z][a-z]{2}
    private static bool Word(ReadOnlySpan<char> s, int at)
        => s[at] is >= 'A' and <= 'Z' && s[at + 1] is >= 'a' and <= 'z' && s[at + 2] is >= 'a' and <= 'z';
}

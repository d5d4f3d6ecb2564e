using DuplicityChecks.Duplicity.Model;

namespace DuplicityChecks.Duplicity.ArchiveDir;

/// <summary>
/// duplicity 0.x-1.x <c>--short-filenames</c> (removed in 2.0.0, still parsed by 3.1.0): times are base-36
/// epoch seconds, volume numbers base 36. <c>df.T.N.dt</c>, <c>df.T.m</c>, <c>di.T1.T2.N.dt</c>,
/// <c>di.T1.T2.m</c>, <c>dfs.T.st</c>, <c>dns.T1.T2.st</c>, jsonstat <c>dfst.T.jst</c> / <c>dist.T1.to.T2.jst</c>;
/// partial <c>.p</c>; suffix <c>.g</c> (encrypted) or <c>.z</c> (compressed).
/// </summary>
internal static class ShortNameParser
{
    private const int MaxSegments = 9;

    public static bool TryParse(ReadOnlySpan<char> name, out ArchiveFileName result)
    {
        result = default;
        // Cheap reject before splitting: every short tag is d[fin][s|t]*. followed by a dot within 5 chars.
        if (name[0] != 'd' || name[1] is not ('f' or 'i' or 'n') || name[2..Math.Min(5, name.Length)].IndexOf('.') < 0) return false;
        Span<Range> ranges = stackalloc Range[MaxSegments + 1];
        var count = name.Split(ranges, '.');
        if (count is < 3 or > MaxSegments) return false;
        var seg = new Segments(name, ranges[..count]);

        ArchiveFileKind kind;
        BackupSetType type;
        DateTimeOffset time;
        DateTimeOffset? start = null;
        int? volume = null;
        var i = 1;
        switch (seg[0])
        {
            case "df":
            case "di":
                type = seg[0] is "df" ? BackupSetType.Full : BackupSetType.Incremental;
                if (type == BackupSetType.Incremental)
                {
                    if (!Epoch(seg[i++], out var t1)) return false;
                    start = t1;
                }
                if (!Epoch(seg[i++], out time)) return false;
                if (seg[i] is "m")
                {
                    kind = ArchiveFileKind.Manifest;
                    i++;
                }
                else
                {
                    if (!Base36(seg[i++], out var n) || n is < 1 or > int.MaxValue || seg[i++] is not "dt") return false;
                    kind = ArchiveFileKind.Volume;
                    volume = (int)n;
                }
                break;
            case "dfs":
                (kind, type) = (ArchiveFileKind.Signature, BackupSetType.Full);
                if (!Epoch(seg[i++], out time) || seg[i++] is not "st") return false;
                break;
            case "dns":
                (kind, type) = (ArchiveFileKind.Signature, BackupSetType.Incremental);
                if (!Epoch(seg[i++], out var s1) || !Epoch(seg[i++], out time) || seg[i++] is not "st") return false;
                start = s1;
                break;
            case "dfst":
                (kind, type) = (ArchiveFileKind.JsonStat, BackupSetType.Full);
                if (!Epoch(seg[i++], out time) || seg[i++] is not "jst") return false;
                break;
            case "dist":
                (kind, type) = (ArchiveFileKind.JsonStat, BackupSetType.Incremental);
                if (!Epoch(seg[i++], out var j1) || seg[i++] is not "to" || !Epoch(seg[i++], out time) || seg[i++] is not "jst") return false;
                start = j1;
                break;
            default:
                return false;
        }

        var partial = false;
        if (seg[i] is "p")
        {
            partial = true;
            i++;
        }
        var encrypted = false;
        var compressed = false;
        if (seg[i] is "g" or "gpg")
        {
            encrypted = true;
            i++;
        }
        else if (seg[i] is "z" or "gz")
        {
            compressed = true;
            i++;
        }
        if (i != seg.Count) return false;
        result = new ArchiveFileName(kind, type, time, start, volume, partial, encrypted, compressed, ShortName: true, PrefixLength: 0);
        return true;
    }

    private static bool Epoch(ReadOnlySpan<char> s, out DateTimeOffset time)
    {
        time = default;
        // Upstream rejects a zero time; 8 base-36 digits already reach the year 90,000.
        if (s.Length > 8 || !Base36(s, out var seconds) || seconds <= 0) return false;
        if (seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()) return false;
        time = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }

    private static bool Base36(ReadOnlySpan<char> s, out long value)
    {
        value = 0;
        if (s.IsEmpty || s.Length > 12) return false;
        foreach (var c in s)
        {
            int digit;
            if (char.IsAsciiDigit(c)) digit = c - '0';
            else if (c is >= 'a' and <= 'z') digit = c - 'a' + 10;
            else return false;
            value = value * 36 + digit;
        }
        return true;
    }

    /// <summary>The dot-separated segments of a name; out-of-range indexes read as empty.</summary>
    private readonly ref struct Segments(ReadOnlySpan<char> name, ReadOnlySpan<Range> ranges)
    {
        private readonly ReadOnlySpan<char> _name = name;
        private readonly ReadOnlySpan<Range> _ranges = ranges;

        public int Count => _ranges.Length;

        public ReadOnlySpan<char> this[int index] => index < _ranges.Length ? _name[_ranges[index]] : [];
    }
}

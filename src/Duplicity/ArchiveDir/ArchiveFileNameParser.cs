using DuplicityChecks.Duplicity.Model;

namespace DuplicityChecks.Duplicity.ArchiveDir;

/// <summary>
/// Parses duplicity's file names on a span, without allocating (a cache can hold 100,000 names).
/// Long names (every version): <c>[prefix]duplicity-full.T.manifest[.part][.gpg|.gz|.p7m]</c>,
/// <c>duplicity-inc.T1.to.T2.manifest</c>, <c>...volN.difftar</c>, <c>duplicity-full-signatures.T.sigtar</c>,
/// <c>duplicity-new-signatures.T1.to.T2.sigtar</c>, <c>...jsonstat</c>. The prefix (<c>--file-prefix*</c>) is
/// not known here, so, like upstream's lazy regexes, the first <c>duplicity-</c> from the left that yields a
/// valid name wins. Short names (0.x-1.x <c>--short-filenames</c>, base-36 epoch seconds) are recognised
/// only without a prefix: with an unknown prefix a two-letter tag such as <c>df.</c> would match too much.
/// Unlike upstream (which accepts any trailing <c>.xyz</c>), only the suffixes duplicity writes are
/// accepted, so a <c>.manifest.bak</c> copy never counts as a backup set.
/// </summary>
public static class ArchiveFileNameParser
{
    private const string Marker = "duplicity-";

    public static bool TryParse(ReadOnlySpan<char> name, out ArchiveFileName result)
    {
        result = default;
        if (name.Length < 8) return false;
        if (ShortNameParser.TryParse(name, out result)) return true;
        var offset = 0;
        while (offset < name.Length)
        {
            var i = name[offset..].IndexOf(Marker, StringComparison.Ordinal);
            if (i < 0) return false;
            var start = offset + i;
            if (TryParseLong(name[(start + Marker.Length)..], start, out result)) return true;
            offset = start + 1;
        }
        return false;
    }

    private static bool TryParseLong(ReadOnlySpan<char> s, int prefixLength, out ArchiveFileName result)
    {
        result = default;
        ArchiveFileKind kind;
        BackupSetType type;
        DateTimeOffset time;
        DateTimeOffset? start = null;
        int? volume = null;
        if (Take(ref s, "full-signatures."))
        {
            (kind, type) = (ArchiveFileKind.Signature, BackupSetType.Full);
            if (!DuplicityTime.TryRead(ref s, out time) || !Take(ref s, ".sigtar")) return false;
        }
        else if (Take(ref s, "new-signatures."))
        {
            (kind, type) = (ArchiveFileKind.Signature, BackupSetType.Incremental);
            if (!DuplicityTime.TryRead(ref s, out var t1) || !Take(ref s, ".to.") || !DuplicityTime.TryRead(ref s, out time)) return false;
            if (!Take(ref s, ".sigtar")) return false;
            start = t1;
        }
        else
        {
            if (Take(ref s, "full."))
            {
                type = BackupSetType.Full;
                if (!DuplicityTime.TryRead(ref s, out time)) return false;
            }
            else if (Take(ref s, "inc."))
            {
                type = BackupSetType.Incremental;
                if (!DuplicityTime.TryRead(ref s, out var t1) || !Take(ref s, ".to.") || !DuplicityTime.TryRead(ref s, out time)) return false;
                start = t1;
            }
            else return false;

            if (Take(ref s, ".manifest")) kind = ArchiveFileKind.Manifest;
            else if (Take(ref s, ".jsonstat")) kind = ArchiveFileKind.JsonStat;
            else if (Take(ref s, ".vol") && TryReadNumber(ref s, out var n) && Take(ref s, ".difftar"))
            {
                kind = ArchiveFileKind.Volume;
                volume = n;
            }
            else return false;
        }

        var partial = Take(ref s, ".part");
        var encrypted = false;
        var compressed = false;
        if (Take(ref s, ".gpg") || Take(ref s, ".p7m")) encrypted = true;
        else if (Take(ref s, ".gz")) compressed = true;
        if (!s.IsEmpty) return false;

        result = new ArchiveFileName(kind, type, time, start, volume, partial, encrypted, compressed, ShortName: false, prefixLength);
        return true;
    }

    internal static bool Take(ref ReadOnlySpan<char> s, string literal)
    {
        if (!s.StartsWith(literal, StringComparison.Ordinal)) return false;
        s = s[literal.Length..];
        return true;
    }

    private static bool TryReadNumber(ref ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        var i = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            if (i >= 9) return false; // no volume number has ten digits; avoids overflow
            value = value * 10 + (s[i] - '0');
            i++;
        }
        if (i == 0) return false;
        s = s[i..];
        return true;
    }
}

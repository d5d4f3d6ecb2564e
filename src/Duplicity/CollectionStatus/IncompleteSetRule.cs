namespace DuplicityChecks.Duplicity.CollectionStatus;

/// <summary>
/// The 3.1.0 truth rule (design.md "Truth rules", duplicity-formats.md §2.6 sample E): from some release in
/// 3.0.5-3.1.0 on, <c>get_sorted_sets</c> also appends INCOMPLETE sets to their chain, so an interrupted backup is
/// listed as the newest row of a chain while also being counted in <c>incomplete-sets-num</c>. Up to 3.0.4 an
/// incomplete set is only counted, never listed. The listing itself cannot show which row is the incomplete one.
/// </summary>
/// <remarks>
/// Fixture evidence: 3.1.0 interrupted-backup 04/05 (the killed 8-volume full is the only chain, secondary,
/// <c>incomplete-sets-num 1</c>) and 12/13 (the complete 53-volume chain plus the killed 6-volume full as a second
/// chain, <c>incomplete-sets-num 1</c>); 2.1.4/2.2.4 on the same repositories list no chain (05) or only the complete
/// chain (13) and print <c>Warning, found incomplete backup sets, probably left from aborted session</c>.
/// <para>Rule: when incomplete sets are counted and chains are listed, the newest listed set may be one of them,
/// unless the source proves the older behaviour: the duplicity version is known and below 3.0.5, or (version
/// unknown) the old warning <c>Warning, found incomplete backup sets…</c> (WARNING 5) is present, which ≤ 3.0.4
/// prints whenever it counts incomplete sets and 3.1.0 no longer has. Without that proof (3.1-era
/// <c>WARNING. found</c> style, <c>--verbosity error</c> which hides warnings, an unknown release in the
/// 3.0.5-3.0.x gap) we distrust the listing: never a false OK. The model then takes the worst case of which chain
/// ends the counted incomplete sets are (<c>BackupCollection.Untrusted</c>), for two or more as well.</para>
/// </remarks>
public static class IncompleteSetRule
{
    public static bool NewestSetMayBeIncomplete(int incompleteSets, int listedSets, bool oldIncompleteWarningSeen, string? duplicityVersion)
    {
        if (incompleteSets <= 0 || listedSets == 0) return false;
        if (TryParseVersion(duplicityVersion, out var version)) return version >= new Version(3, 0, 5);
        return !oldIncompleteWarningSeen;
    }

    /// <summary>Reads "0.8.22", "3.1.0", "duplicity 3.1.0 June 16, 2026", "3.0.6.2", "3.0.2.dev3".</summary>
    public static bool TryParseVersion(string? text, out Version version)
    {
        version = new Version(0, 0);
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        if (s.StartsWith("duplicity ", StringComparison.Ordinal)) s = s["duplicity ".Length..];
        var end = 0;
        while (end < s.Length && (char.IsAsciiDigit(s[end]) || s[end] == '.')) end++;
        var numbers = s[..end].Trim('.').Split('.', StringSplitOptions.RemoveEmptyEntries);
        if (numbers.Length < 2) return false;
        var parts = new int[Math.Min(numbers.Length, 4)];
        for (var i = 0; i < parts.Length; i++)
            if (!int.TryParse(numbers[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out parts[i])) return false;
        version = parts.Length switch
        {
            2 => new Version(parts[0], parts[1], 0),
            3 => new Version(parts[0], parts[1], parts[2]),
            _ => new Version(parts[0], parts[1], parts[2], parts[3]),
        };
        return true;
    }
}

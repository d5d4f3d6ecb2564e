using System.Text.RegularExpressions;

namespace DuplicityChecks.Duplicity.CollectionStatus;

/// <summary>
/// The lines of the human collection-status text (duplicity-formats.md §2.2-2.5), one regex per kind of line.
/// Each accepts the English wording of every version (≤ 1.0.x ngettext singular/plural, 1.2.0+ "(s)",
/// 3.1.0 "WARNING. found") and the German labels: those seen in the 1.2.3/2.1.4/2.2.4/3.0.4 fixtures
/// (<c>Sammlungszustand</c>, <c>0 sekundäre Sicherungskette(n) gefunden.</c>...) plus the rest of the block from
/// the German catalogue duplicity ships (0.8.22 <c>de/LC_MESSAGES/duplicity.mo</c>). Output mixes both languages
/// (1.2.3 leaves "Found 0 secondary backup chain(s)." in English), so every pattern takes either. A block line
/// that none of them matches is refused, never skipped: a translation we do not know is reported as such.
/// </summary>
internal static partial class StatusTextLabels
{
    public const string NoListingMessage =
        "the collection-status output holds no chain listing, only 'Last full backup date:' (duplicity 3.0.1 drops it: upgrade to 3.0.2+, or use --archive-dir)";

    public const string LanguageAdvice = "run duplicity with LANGUAGE unset and LC_ALL=C";

    /// <summary>The 17 dashes under the block header.</summary>
    public const string HeaderRule = "-----------------";

    /// <summary>The 25 dashes that open and close each chain.</summary>
    public const string ChainRule = "-------------------------";

    // Counts the parser turns into numbers are [0-9], not \d: \d also matches other scripts' digits, which the
    // number parse then refused with a misleading "number out of range" (as MachineLogReader, found by fuzzing).
    [GeneratedRegex(@"^(?:Collection Status|Sammlungszustand)$", RegexOptions.CultureInvariant)]
    public static partial Regex Header();

    [GeneratedRegex(@"^(?:Connecting with backend|Mit Hintergrundprogramm wird verbunden): ", RegexOptions.CultureInvariant)]
    public static partial Regex Backend();

    [GeneratedRegex(@"^(?:Archive dir|Archivverzeichnis): (?<path>.*)$", RegexOptions.CultureInvariant)]
    public static partial Regex ArchiveDir();

    [GeneratedRegex(@"^(?:Found (?<n>[0-9]+) secondary backup chain(?:s|\(s\))?\.|(?<n>[0-9]+) (?:sekundäre Sicherungskette\(n\)|zusätzliche Sicherungsketten?) gefunden\.)$", RegexOptions.CultureInvariant)]
    public static partial Regex SecondaryCount();

    [GeneratedRegex(@"^(?:Secondary chain (?<i>[0-9]+) of (?<n>[0-9]+)|Zusätzliche Kette (?<i>[0-9]+) von (?<n>[0-9]+)):$", RegexOptions.CultureInvariant)]
    public static partial Regex SecondaryChain();

    [GeneratedRegex(@"^(?:Found primary backup chain with matching signature chain|Primäre Sicherungskette mit passender Signaturkette gefunden):$", RegexOptions.CultureInvariant)]
    public static partial Regex PrimaryChain();

    [GeneratedRegex(@"^(?:No backup chains with active signatures found|Keine Sicherungsketten mit aktiven Signaturen gefunden)$", RegexOptions.CultureInvariant)]
    public static partial Regex NoPrimaryChain();

    [GeneratedRegex(@"^(?:Chain start time|Erste Sicherung in dieser Kette): (?<t>.+)$", RegexOptions.CultureInvariant)]
    public static partial Regex ChainStart();

    [GeneratedRegex(@"^(?:Chain end time|Letzte Sicherung in dieser Kette): (?<t>.+)$", RegexOptions.CultureInvariant)]
    public static partial Regex ChainEnd();

    [GeneratedRegex(@"^(?:Number of contained backup sets|Anzahl der enthaltenen Sicherungssätze): (?<n>[0-9]+)$", RegexOptions.CultureInvariant)]
    public static partial Regex SetCount();

    [GeneratedRegex(@"^(?:Total number of contained volumes|Gesamtanzahl der enthaltenen Datenträger): (?<n>[0-9]+)$", RegexOptions.CultureInvariant)]
    public static partial Regex VolumeCount();

    [GeneratedRegex(@"^\s*(?:Type of backup set:\s+Time:\s+Num volumes:|Typ des Sicherungssatzes:\s+Zeit:\s+Datenträgeranz\.:)$", RegexOptions.CultureInvariant)]
    public static partial Regex TableHeader();

    /// <summary>A set row: type label, asctime, volumes. By pattern, not columns: translations change the widths. The parser
    /// uses <see cref="SetRowParser"/>, which matches exactly this (tests compare them); this is its specification.</summary>
    /// (Words of the type label are separated by single spaces; at least three spaces precede the date.)
    [GeneratedRegex(@"^ *(?<type>\S+(?: \S+)*) {3,}(?<time>[A-Z][a-z]{2} [A-Z][a-z]{2} {1,2}\d{1,2} \d\d:\d\d:\d\d \d{4}) +(?<vols>\d+)$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    public static partial Regex SetRow();

    [GeneratedRegex(@"^(?:Also found (?<n>[0-9]+) backup sets?(?:\(s\))? not part of any chain,|Zusätzlich wurden? (?<n>[0-9]+) Sicherungss(?:atz|ätze) gefunden, d(?:er|ie) kein Teil einer Sicherungskette (?:ist|sind),)$", RegexOptions.CultureInvariant)]
    public static partial Regex OrphanedCount();

    [GeneratedRegex(@"^(?:and (?<n>[0-9]+) incomplete backup sets?(?:\(s\))?\.|und (?<n>[0-9]+) unvollständigen? Sicherungss(?:atz|ätze)\.)$", RegexOptions.CultureInvariant)]
    public static partial Regex IncompleteCount();

    [GeneratedRegex(@"^(?:These may be deleted by running duplicity with the ""cleanup"" command\.|Sie können diese entfernen, indem Sie duplicity mit dem »cleanup«-Befehl starten\.)$", RegexOptions.CultureInvariant)]
    public static partial Regex MayBeDeleted();

    [GeneratedRegex(@"^(?:No orphaned or incomplete backup sets found\.|Keine verwaisten oder unvollständigen Sicherungssätze gefunden\.)$", RegexOptions.CultureInvariant)]
    public static partial Regex NothingOrphaned();

    [GeneratedRegex(@"^(?:Last full backup date|Letzte vollständige Sicherung):", RegexOptions.CultureInvariant)]
    public static partial Regex LastFullBackup();

    /// <summary>The start of a collection warning (§2.5): "Warning, …" (≤ 3.0.4), "WARNING. …" (3.1.0), "Achtung, …" (German).</summary>
    [GeneratedRegex(@"^(?:Warning, |WARNING\. |Achtung, )", RegexOptions.CultureInvariant)]
    public static partial Regex WarningStart();

    /// <summary>≤ 3.0.4 only (removed with the 3.1-era listing change): see <see cref="IncompleteSetRule"/>.</summary>
    [GeneratedRegex(@"^(?:Warning, found incomplete backup sets, probably left from aborted session|Achtung, es wurden unvollständige Sicherungssätze gefunden, wahrscheinlich von einer abgebrochenen Sitzung zurückgelassen)$", RegexOptions.CultureInvariant)]
    public static partial Regex OldIncompleteWarning();

    /// <summary>The startup banner line at -v5 and up: "duplicity 0.8.22", "duplicity 3.1.0 June 16, 2026".</summary>
    [GeneratedRegex(@"^duplicity (?<v>\d+\.\d+(?:\.\d+)*(?:\.?(?:dev|rc|b)\d*)?)(?: [A-Z][a-z]+ \d{1,2}, \d{4})?$", RegexOptions.CultureInvariant)]
    public static partial Regex VersionBanner();

    /// <summary>Lines of a run that failed before listing anything (lock held, backend errors, tracebacks), as saved from stdout+stderr.</summary>
    [GeneratedRegex(@"^(?:Another duplicity instance is already running|Giving up after \d+ attempts|[A-Za-z.]*(?:Exception|Error): |Traceback \()", RegexOptions.CultureInvariant)]
    public static partial Regex FailureLine();

    /// <summary>The <c>--log-timestamp</c> console prefix: "2026-11-26 10:22:13,182 NOTICE " (3.1.0 pads the level).</summary>
    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (?:ERROR|WARNING|NOTICE|INFO|DEBUG|CRITICAL|Level \d+) *", RegexOptions.CultureInvariant)]
    public static partial Regex LogTimestampPrefix();

    /// <summary>The text after a label's ": " (no label contains ": "), once its regex has matched.</summary>
    public static ReadOnlySpan<char> AfterLabel(ReadOnlySpan<char> line) => line[(line.IndexOf(": ", StringComparison.Ordinal) + 2)..];

    public static bool IsFullLabel(ReadOnlySpan<char> type) => type.SequenceEqual("Full") || type.SequenceEqual("Vollständig");

    public static bool IsIncrementalLabel(ReadOnlySpan<char> type) => type.SequenceEqual("Incremental") || type.SequenceEqual("Schrittweise");
}

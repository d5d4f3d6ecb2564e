using System.Buffers.Binary;
using System.Text;

namespace DuplicityChecks.Duplicity.Logs;

/// <summary>What a line of duplicity output (or the first message line of a stanza) is.</summary>
public enum LineKind
{
    Unknown,
    Blank,
    /// <summary>A start-of-run line; <see cref="LineClass.Phase"/> says where in a run it comes (see <see cref="RunBoundaryRules"/>).</summary>
    Phase,
    StatisticsHeading,
    /// <summary>"Restart is impossible...starting backup from beginning.": duplicity re-executes itself, same run.</summary>
    RestartImpossible,
    /// <summary>A non-backup action reached its end (cleanup, remove-older-than, verify, collection-status).</summary>
    Maintenance,
    VerifyComplete,
    PassphrasePrompt,
    TracebackStart,
    /// <summary>Lines that follow a failure and say nothing new ("Could not release lockfile").</summary>
    Noise,
    /// <summary>Another line duplicity is known to print; recognised, harmless.</summary>
    Known,
    Failure,
}

public readonly record struct LineClass(LineKind Kind, int Phase = 0, KnownFailure? Failure = null, string? Action = null);

/// <summary>
/// The line prefixes the scanner recognises: the run markers below plus every <see cref="KnownFailure.LineStarts"/>.
/// Matching is a dispatch on the first byte and a prefix compare on the UTF-8 bytes, so the cost per line is a
/// few byte compares; no regular expression runs over every line (performance target: &gt;= 500 MB/s).
/// </summary>
public static class LinePatterns
{
    private static readonly (string Prefix, LineClass Class)[] Markers =
    [
        // Phases: where a line comes in a run (RunBoundaryRules). German forms from 1.2.3-3.0.4 with LANG=de_DE.
        ("Using archive dir: ", new(LineKind.Phase, 0)),
        ("No valid action found. Will imply", new(LineKind.Phase, 1, Action: "backup")),
        ("Keine gültige Aktion gefunden", new(LineKind.Phase, 1, Action: "backup")),
        ("Local and Remote metadata are synchronized", new(LineKind.Phase, 3)),
        ("Synchronizing remote metadata to local cache", new(LineKind.Phase, 3)),
        ("Lokale und entfernte Metadaten", new(LineKind.Phase, 3)),
        ("Entfernte Metadaten werden", new(LineKind.Phase, 3)),
        ("Last full backup date:", new(LineKind.Phase, 4)),
        ("Letzte vollständige Sicherung:", new(LineKind.Phase, 4)),
        ("--------------[ Backup Statistics ]", new(LineKind.StatisticsHeading)),
        ("--------------[ Sicherungsstatistiken ]", new(LineKind.StatisticsHeading)),
        ("Restart is impossible", new(LineKind.RestartImpossible, Action: "backup")),
        // Ends of the other actions.
        ("No extraneous files found", new(LineKind.Maintenance, Action: "cleanup")),
        ("Found the following files to delete", new(LineKind.Maintenance, Action: "cleanup")),
        ("Found the following file(s) to delete", new(LineKind.Maintenance, Action: "cleanup")),
        ("Run duplicity again with the --force option", new(LineKind.Maintenance, Action: "cleanup")),
        ("Deleting these files from backend", new(LineKind.Maintenance, Action: "cleanup")),
        ("Found old backup chain at the following time", new(LineKind.Maintenance, Action: "remove")),
        ("Rerun command with --force option", new(LineKind.Maintenance, Action: "remove")),
        ("Deleting backup chain at time", new(LineKind.Maintenance, Action: "remove")),
        ("Deleting complete signature chain", new(LineKind.Maintenance, Action: "remove")),
        ("Deleting complete backup chain", new(LineKind.Maintenance, Action: "remove")),
        ("No old backup sets found", new(LineKind.Maintenance, Action: "remove")),
        ("Collection Status", new(LineKind.Maintenance, Action: "collection-status")),
        ("Sammlungszustand", new(LineKind.Maintenance, Action: "collection-status")),
        // --show-changes-in-set --jsonstat prints a JSON object (a backup with --jsonstat prints one before its statistics).
        ("{", new(LineKind.Maintenance, Action: "collection-status")),
        ("Verify complete: ", new(LineKind.VerifyComplete, Action: "verify")),
        ("GnuPG passphrase", new(LineKind.PassphrasePrompt)),
        ("Retype passphrase", new(LineKind.PassphrasePrompt)),
        ("Traceback (innermost last)", new(LineKind.TracebackStart)),
        ("Traceback (most recent call last)", new(LineKind.TracebackStart)),
        // Said after a failure, or by Python, and nothing new.
        ("Could not release lockfile", new(LineKind.Noise)),
        ("If this is not the case, remove", new(LineKind.Noise)),
        ("Warning: Password input may be echoed", new(LineKind.Noise)),
        ("passwd = fallback_getpass", new(LineKind.Noise)),
        // Other lines of a backup run (recognised: a region made only of these is still duplicity output).
        ("Last full backup is too old", new(LineKind.Known, Action: "backup")),
        ("Letzte vollständige Sicherung ist zu alt", new(LineKind.Known, Action: "backup")),
        ("Last full backup left a partial set", new(LineKind.Known, Action: "backup")),
        ("Last inc backup left a partial set", new(LineKind.Known, Action: "backup")),
        ("RESTART: ", new(LineKind.Known, Action: "backup")),
        ("Restarting after volume", new(LineKind.Known, Action: "backup")),
        ("Restarting backup at volume", new(LineKind.Known, Action: "backup")),
        ("No signatures found, switching to full backup", new(LineKind.Known, Action: "backup")),
        // -v8 and up: a backup also prints a collection-status block; its volumes tell it from a collection-status run.
        ("Processed volume ", new(LineKind.Known, Action: "backup")),
        ("Attempt of ", new(LineKind.Known)),
        ("Copying ", new(LineKind.Known)),
        ("Deleting local ", new(LineKind.Known)),
        ("Cleaning up previous partial", new(LineKind.Known)),
        ("Warning, found signatures but no corresponding", new(LineKind.Known)),
        ("WARNING. found signatures but no corresponding", new(LineKind.Known)),
        ("Main action: ", new(LineKind.Known)),
        ("Args: ", new(LineKind.Known)),
        ("Using backup name: ", new(LineKind.Known)),
        ("Using temporary directory", new(LineKind.Known)),
        ("Connecting with backend", new(LineKind.Known)),
        ("Found primary backup chain", new(LineKind.Known)),
        ("No backup chains with active signatures", new(LineKind.Known)),
        ("No orphaned or incomplete backup sets found", new(LineKind.Known)),
        ("Difference found: ", new(LineKind.Known, Action: "verify")),
        ("/usr/lib/python3", new(LineKind.Known)),
    ];

    private static readonly Prefix[][] ByFirstByte = Build();

    /// <summary>
    /// A prefix with its first (up to) 8 bytes as a number and a mask: a line of 8 bytes or more is compared with
    /// one AND and one comparison before the byte comparison that decides, as most candidates fail in their first
    /// bytes.
    /// </summary>
    private readonly record struct Prefix(byte[] Bytes, ulong Head, ulong Mask, LineClass Class)
    {
        public static Prefix Of(byte[] bytes, LineClass c)
        {
            Span<byte> head = stackalloc byte[8];
            Span<byte> mask = stackalloc byte[8];
            head.Clear();
            mask.Clear();
            var n = Math.Min(8, bytes.Length);
            bytes.AsSpan(0, n).CopyTo(head);
            mask[..n].Fill(0xFF);
            return new Prefix(bytes, BinaryPrimitives.ReadUInt64LittleEndian(head), BinaryPrimitives.ReadUInt64LittleEndian(mask), c);
        }
    }

    private static Prefix[][] Build()
    {
        var lists = new List<(byte[], LineClass)>[256];
        void Add(string prefix, LineClass c)
        {
            var bytes = Encoding.UTF8.GetBytes(prefix);
            (lists[bytes[0]] ??= []).Add((bytes, c));
        }
        // Failures first: "Another duplicity instance" must not be taken for anything else.
        foreach (var f in KnownFailures.All)
            foreach (var p in f.LineStarts)
                Add(p, new LineClass(LineKind.Failure, f == KnownFailures.LockHeld ? 2 : 0, f));
        foreach (var (p, c) in Markers) Add(p, c);
        var result = new Prefix[256][];
        for (var i = 0; i < 256; i++)
            result[i] = lists[i] is { } l ? [.. l.OrderByDescending(x => x.Item1.Length).Select(x => Prefix.Of(x.Item1, x.Item2))] : [];
        return result;
    }

    /// <summary>Classifies a normalised line (no time stamp, no leading blanks) by its prefix.</summary>
    public static LineClass Classify(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty) return new LineClass(LineKind.Blank);
        var candidates = ByFirstByte[line[0]];
        if (line.Length >= 8)
        {
            var head = BinaryPrimitives.ReadUInt64LittleEndian(line);
            foreach (ref readonly var p in candidates.AsSpan())
                if ((head & p.Mask) == p.Head && line.StartsWith(p.Bytes)) return p.Class;
            return default;
        }
        foreach (ref readonly var p in candidates.AsSpan())
            if (line.StartsWith(p.Bytes)) return p.Class;
        return default;
    }

    public static LineClass Classify(string line) => Classify(Encoding.UTF8.GetBytes(Normalise(line)));

    /// <summary>
    /// Strips what wrappers and <c>--log-timestamp</c> put in front of duplicity's text, and leading blanks:
    /// <c>2026-11-26 10:22:13,182 NOTICE </c> (3.1.0 pads the level word), <c>[2026-11-26 10:22:13] </c>,
    /// <c>2026-11-26T10:22:13+00:00 </c>.
    /// </summary>
    public static ReadOnlySpan<byte> Normalise(ReadOnlySpan<byte> line)
    {
        if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
        if (line.Length >= 19 && (IsDigit(line[0]) || line[0] == (byte)'['))
        {
            var s = line[0] == (byte)'[' ? line[1..] : line;
            if (s.Length >= 19 && IsDigit(s[0]) && IsDigit(s[3]) && s[4] == (byte)'-' && s[7] == (byte)'-' && (s[10] == (byte)' ' || s[10] == (byte)'T')
                && s[13] == (byte)':' && s[16] == (byte)':')
            {
                var i = 19;
                while (i < s.Length && s[i] != (byte)' ' && s[i] != (byte)']') i++; // fraction, zone
                if (i < s.Length && s[i] == (byte)']') i++;
                s = s[i..].TrimStart((byte)' ');
                // A level word (NOTICE, INFO, WARNING, ERROR, DEBUG) after the stamp, as --log-timestamp prints it.
                var w = 0;
                while (w < s.Length && s[w] >= (byte)'A' && s[w] <= (byte)'Z') w++;
                if (w >= 4 && w < s.Length && s[w] == (byte)' ' && IsLevel(s[..w])) s = s[w..].TrimStart((byte)' ');
                line = s;
            }
        }
        var blanks = 0;
        while (blanks < line.Length && line[blanks] is (byte)' ' or (byte)'\t') blanks++;
        return line[blanks..];
    }

    public static string Normalise(string line) => Encoding.UTF8.GetString(Normalise(Encoding.UTF8.GetBytes(line)));

    private static bool IsLevel(ReadOnlySpan<byte> w) => w.SequenceEqual("NOTICE"u8) || w.SequenceEqual("INFO"u8) || w.SequenceEqual("WARNING"u8)
        || w.SequenceEqual("ERROR"u8) || w.SequenceEqual("DEBUG"u8) || w.SequenceEqual("CRITICAL"u8);

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';
}

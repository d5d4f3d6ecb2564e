using System.Globalization;

namespace DuplicityChecks.Plugin;

/// <summary>
/// The bounds on what a check reads, in one place: every input has one, so that no file, device, pipe or program
/// output can make a check grow without limit (issue 15, item 8: <c>--status-file /dev/zero</c> grew to 8.4 GB).
/// Each is generous for real data and small enough that a check stays below 64 MiB of resident memory when an input
/// is filled up to its limit with the worst content that still parses. A limit hit is UNKNOWN naming it.
/// </summary>
public static class ReadLimits
{
    /// <summary>
    /// A saved collection-status (streamed): a listing of 10,000 sets is about 1 MiB in
    /// either form, so 16 MiB holds 150,000 sets; the sets parsed from a full 16 MiB stay within the memory bound.
    /// </summary>
    public const long StatusFileBytes = 16L << 20;

    /// <summary>
    /// The machine log of a live collection-status: read whole into a string (twice its bytes) before it is parsed,
    /// so half the status file's limit; still 75,000 sets.
    /// </summary>
    public const long LiveMachineLogBytes = 8L << 20;

    /// <summary>
    /// One line of a collection-status (characters): its longest real lines name a path or a URL (4 KiB at most
    /// on Linux); the look-ahead that detects the form keeps 20 lines, so this also bounds that.
    /// </summary>
    public const int StatusLineChars = 64 << 10;

    /// <summary>
    /// One line of a log (bytes): duplicity's longest lines are a traceback's repr of a path list or a backend's
    /// error text, kilobytes; a year of daily logs has no line near this. Logs themselves have no size bound: they
    /// are streamed in flat memory up to the size they had when the check began.
    /// </summary>
    public const int LogLineBytes = 1 << 20;

    /// <summary>
    /// A ps capture: 5,000 processes with 300-byte command lines are 1.5 MiB (a busy server has hundreds to a few
    /// thousand; 5,000 of 420 bytes, 2.1 MB, are over). Parsed, a capture costs up to 16 times its size (tens of thousands of tiny processes), so a full
    /// one stays within the memory bound; 4 MiB of them did not (69 MiB).
    /// </summary>
    public const long PsCaptureBytes = 2L << 20;

    /// <summary>
    /// Command-line arguments in a ps capture, all processes together: 40 for each of 5,000 processes. Every argument
    /// becomes a string of its own (about 32 bytes for a one-letter one), so this, not the byte limit, bounds a
    /// capture of many short arguments.
    /// </summary>
    public const int PsCaptureArguments = 200_000;

    /// <summary>One line of a ps capture (characters): ps prints a command line of up to 128 KiB per argument.</summary>
    public const int PsLineChars = 1 << 20;

    /// <summary>/proc/locks (or a capture's <c>locks</c>): 70 bytes a lock, so 100,000 locks are 7 MiB.</summary>
    public const long ProcLocksBytes = 8L << 20;

    /// <summary>The job file (INI): a job is a dozen lines; 1 MiB holds thousands of jobs.</summary>
    public const long JobFileBytes = 1L << 20;

    /// <summary>What is kept of a live duplicity's stdout and of its stderr each (the rest is read and dropped).</summary>
    public const int CapturedOutputChars = 1 << 20;

    /// <summary>
    /// Manifests and full signatures kept from one archive-dir folder (about one per backup set): a cache of 10,000
    /// sets holds 10,000 manifests. A set costs about 1.4 KiB of memory through listing, chains and result (10,000:
    /// 18 MiB, 30,000: 41 MiB, 40,000: 55 MiB peak RSS), so a folder with more is not judged.
    /// </summary>
    public const int ArchiveDirManifests = 30_000;

    /// <summary>A byte count as the limits are written in the help and the messages: "16 MiB", "64 KiB", "900 B".</summary>
    public static string Format(long bytes) => bytes switch
    {
        >= 1L << 20 when bytes % (1L << 20) == 0 => Invariant($"{bytes >> 20} MiB"),
        >= 1L << 10 when bytes % (1L << 10) == 0 => Invariant($"{bytes >> 10} KiB"),
        _ => Invariant($"{bytes} B"),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

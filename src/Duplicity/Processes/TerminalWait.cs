using System.Text.RegularExpressions;

namespace DuplicityChecks.Duplicity.Processes;

/// <summary>
/// Recognises a process stuck at a terminal prompt (duplicity's <c>GnuPG passphrase for decryption:</c>,
/// or a gpg/pinentry under it): it sleeps (state S), in the foreground of a terminal, and is reading that
/// terminal. The read is proven by /proc/PID/syscall when readable (root or same user): read(2) on a tty. Else
/// the kernel wait channel must be one a tty read sleeps in (<c>n_tty_read</c>, or <c>wait_woken</c> on recent
/// kernels, as captured for duplicity 0.8.22 at the prompt) and the terminal is fd 0 or the controlling one.
/// Without wait channel or syscall (a ps capture) nothing is claimed.
/// </summary>
public static partial class TerminalWait
{
    private static readonly HashSet<string> TtyReadChannels = new(StringComparer.Ordinal)
    {
        "wait_woken", "n_tty_read", "tty_read", "read_chan", "ldsem_down_read", "tty_ldisc_ref_wait",
    };

    /// <summary>The terminal the process waits on (e.g. <c>/dev/pts/0</c>), or null when it is not waiting for input.</summary>
    public static string? WaitingOn(ProcessEntry p)
    {
        if (p.State != 'S') return null;
        // A background process reading its terminal is stopped (SIGTTIN, state T), so only the foreground counts.
        if (p.ProcessGroup is { } pgrp && p.ForegroundGroup is { } fg && fg > 0 && p.TerminalDevice is not (null or 0) && pgrp != fg) return null;
        if (p.ReadingFrom is { } reading)
        {
            // getpass reads /dev/tty, the alias of the controlling terminal: name the real one.
            if (reading == "/dev/tty") return p.Stdin is { } s && IsTerminal(s) && s != "/dev/tty" ? s : p.TerminalDevice is { } d && d != 0 ? TerminalName(d) : reading;
            return IsTerminal(reading) ? reading : null;
        }
        if (p.WaitChannel is null || !TtyReadChannels.Contains(p.WaitChannel)) return null;
        if (p.Stdin is { } stdin && IsTerminal(stdin)) return stdin;
        // Python's getpass opens /dev/tty (the controlling terminal) even when stdin is not a terminal.
        if (p.TerminalDevice is { } dev && dev != 0 && p.ForegroundGroup == p.ProcessGroup) return TerminalName(dev);
        return null;
    }

    public static bool IsTerminal(string path) => TerminalPath().IsMatch(path);

    [GeneratedRegex(@"^/dev/(pts/\d+|tty[A-Za-z]*\d*|console)( \(deleted\))?$", RegexOptions.CultureInvariant)]
    private static partial Regex TerminalPath();

    /// <summary>Names a tty_nr: major 136-143 are pseudo-terminals, 4 the virtual consoles.</summary>
    public static string TerminalName(int device)
    {
        var major = (device >> 8) & 0xfff;
        var minor = (device & 0xff) | ((device >> 12) & 0xfff00);
        if (major is >= 136 and <= 143) return $"/dev/pts/{(major - 136) * 256 + minor}";
        if (major == 4 && minor < 64) return $"/dev/tty{minor}";
        return $"terminal {major}:{minor}";
    }
}

namespace DuplicityChecks.TestSupport;

/// <summary>What tests need of the live /proc: find processes by command line or parent, send signals.</summary>
public static class ProcessTable
{
    public static IEnumerable<int> Pids() => Directory.EnumerateDirectories("/proc")
        .Select(System.IO.Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)).Select(n => int.Parse(n!, System.Globalization.CultureInfo.InvariantCulture));

    public static string? CommandLine(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    public static int? ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException) { return null; }
    }

    /// <summary>Where in the kernel the process's main thread sleeps (/proc/PID/wchan), e.g. wait_for_partner for a FIFO open.</summary>
    public static string? WaitChannel(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/wchan").Trim(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    public static IReadOnlyList<int> CommandLinesContaining(string text)
        => Pids().Where(p => p != Environment.ProcessId && CommandLine(p) is { } c && c.Contains(text, StringComparison.Ordinal)).ToList();

    public static IReadOnlyList<int> ChildrenOf(int pid) => Pids().Where(p => ParentOf(p) == pid).ToList();

    public static void Signal(int pid, int signal) => _ = TestNativeMethods.Kill(pid, signal);
}

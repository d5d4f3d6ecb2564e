using System.Diagnostics;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace DuplicityChecks.Plugin;

/// <summary>
/// A small key=value file kept between check runs (the nagiosplugin Cookie idea, acquisition phase):
/// <list type="bullet">
/// <item>an exclusive lock on <c>FILE.lock</c> for as long as the object lives, so two checks of the same log
/// (a manual run while Icinga runs it) take turns instead of both reading the same new bytes;</item>
/// <item>changes are written only by <see cref="Commit"/>: a temporary file in the same directory, fsync, then
/// rename over the old file, so a crash leaves the old state or the new one, never half of each;</item>
/// <item>a file that cannot be parsed is reported (<see cref="CorruptReason"/>) and rebuilt by the next commit,
/// so the check does not fail the same way forever;</item>
/// <item>every file is opened through <see cref="StateDirectory"/> (relative to the directory, never through a
/// link, at most <see cref="MaxLength"/> bytes read); in a directory that this check's user does not own (root
/// running by hand on the monitoring user's directory) the state is read, and nothing is locked or written
/// (<see cref="ReadOnlyReason"/>): the owner's next check finds the state as it was.</item>
/// </list>
/// The format is hand-written (no reflection): a header line, <c>key=value</c> lines (values escaped), an end
/// line. The lock file is separate because the state file itself is replaced on every commit.
/// </summary>
public sealed class StateFile : IDisposable
{
    public const string Header = "# duplicity-checks state v1";
    public const string Trailer = "# end";

    /// <summary>
    /// Larger state files are not read (the check is UNKNOWN naming this limit): a log position with its path and
    /// fingerprints is well under 16 KiB.
    /// </summary>
    public const int MaxLength = 64 * 1024;

    /// <summary><see cref="MaxLength"/> in words.</summary>
    public const string MaxLengthText = "64 KiB";

    private readonly StateDirectory _directory;
    private readonly string _name;
    private readonly SafeFileHandle? _lock;
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    private StateFile(string path, StateDirectory directory, SafeFileHandle? lockHandle)
    {
        Path = path;
        _name = System.IO.Path.GetFileName(path);
        _directory = directory;
        _lock = lockHandle;
    }

    public string Path { get; }

    /// <summary>Where state files live unless an option says otherwise.</summary>
    public const string DefaultDirectory = "/var/lib/duplicity-checks";

    /// <summary>
    /// A state file path keyed by what it tracks (for a log tail: the log's full path), hashed so that any path
    /// gives a safe, fixed-length file name: <c>DIR/PREFIX-&lt;16 hex&gt;.state</c>.
    /// </summary>
    public static string PathFor(string prefix, string key, string directory = DefaultDirectory)
    {
        var hash = Hashes.Sha256Hex(Encoding.UTF8.GetBytes(key));
        return System.IO.Path.Combine(directory, $"{prefix}-{hash[..16]}.state");
    }

    /// <summary>Why the existing file was not usable (it is rebuilt on commit); null when it was fine or absent.</summary>
    public string? CorruptReason { get; private set; }

    /// <summary>True when there was no state file yet (first run).</summary>
    public bool IsNew { get; private set; }

    /// <summary>
    /// Why <see cref="Commit"/> writes nothing: the state directory belongs to another user than this check's
    /// (the state was read, and stays as it was). Null when the state is saved normally.
    /// </summary>
    public string? ReadOnlyReason => _directory.ReadOnlyReason;

    public IReadOnlyDictionary<string, string> Values => _values;

    public string? Get(string key) => _values.GetValueOrDefault(key);

    public void Set(string key, string value)
    {
        if (key.Length == 0 || key.AsSpan().IndexOfAny("=\n\r") >= 0) throw new ArgumentException($"bad state key '{key}'", nameof(key));
        _values[key] = value;
    }

    public void Clear() => _values.Clear();

    /// <summary>
    /// Opens (creating the directory if needed) and locks the state file, waiting up to <paramref name="lockWait"/>
    /// for another check that holds the lock. Unusable paths, an unusable state file and a lock that never comes are
    /// CheckExceptions. In a directory of another user nothing is created or locked (see <see cref="ReadOnlyReason"/>).
    /// </summary>
    public static StateFile Open(string path, TimeSpan lockWait, CancellationToken cancellation = default)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (System.IO.Path.GetFileName(full).Length == 0) throw new CheckException($"state file {path} names a directory, not a file");
        var directory = StateDirectory.Open(System.IO.Path.GetDirectoryName(full)!, create: true)!;
        SafeFileHandle? lockHandle = null;
        try
        {
            // A check that does not write needs no turn: it reads a state that is only ever replaced whole.
            if (directory.Writable) lockHandle = AcquireLock(directory, System.IO.Path.GetFileName(full) + ".lock", full, lockWait, cancellation);
            var state = new StateFile(full, directory, lockHandle);
            state.Load();
            return state;
        }
        catch
        {
            lockHandle?.Dispose();
            directory.Dispose();
            throw;
        }
    }

    private static SafeFileHandle AcquireLock(StateDirectory directory, string lockName, string statePath, TimeSpan wait, CancellationToken cancellation)
    {
        var handle = directory.OpenLock(lockName);
        var clock = Stopwatch.StartNew();
        try
        {
            while (true)
            {
                if (DirectoryCalls.TryLockExclusive((int)handle.DangerousGetHandle()) == 0) return handle;
                var error = DirectoryCalls.LastError;
                if (error != DirectoryCalls.WouldBlock && error != DirectoryCalls.Interrupted)
                    throw new CheckException($"cannot lock state lock {statePath}.lock: {StateDirectory.Message(error)}");
                if (clock.Elapsed >= wait)
                    throw new CheckException($"state file {statePath} is locked by another check (waited {clock.Elapsed.TotalSeconds:0.#} s)");
                cancellation.ThrowIfCancellationRequested();
                Thread.Sleep(20);
            }
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private void Load()
    {
        byte[]? bytes;
        try
        {
            bytes = _directory.Read(_name, MaxLength, MaxLengthText);
        }
        catch (UnusableStateFileException e)
        {
            throw new CheckException($"state file {Path} {e.Message}");
        }
        if (bytes is null)
        {
            IsNew = true;
            return;
        }
        if (!TryParse(Encoding.UTF8.GetString(bytes), _values, out var reason))
        {
            _values.Clear();
            CorruptReason = reason;
        }
    }

    internal static bool TryParse(string text, Dictionary<string, string> values, out string reason)
    {
        reason = "";
        var lines = text.Split('\n');
        if (lines.Length < 2 || lines[0] != Header)
        {
            reason = "no state header";
            return false;
        }
        var ended = false;
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i];
            if (ended)
            {
                if (line.Length != 0) { reason = $"text after the end line (line {i + 1})"; return false; }
                continue;
            }
            if (line == Trailer) { ended = true; continue; }
            var eq = line.IndexOf('=');
            if (eq <= 0) { reason = $"line {i + 1} is not key=value"; return false; }
            if (!TryUnescape(line.AsSpan(eq + 1), out var value)) { reason = $"line {i + 1} has a bad escape"; return false; }
            values[line[..eq]] = value;
        }
        if (!ended)
        {
            reason = "the file ends early (no end line)";
            return false;
        }
        return true;
    }

    /// <summary>
    /// Writes the values atomically: a new file with an unpredictable name, fsync, rename (see
    /// <see cref="StateDirectory.Write"/>). Writes nothing when <see cref="ReadOnlyReason"/> says why.
    /// </summary>
    public void Commit()
    {
        if (!_directory.Writable) return;
        var sb = new StringBuilder();
        sb.Append(Header).Append('\n');
        foreach (var (k, v) in _values.OrderBy(p => p.Key, StringComparer.Ordinal))
            sb.Append(k).Append('=').Append(Escape(v)).Append('\n');
        sb.Append(Trailer).Append('\n');
        // Under the lock no other check writes this file: a temporary file of it is what a killed check left.
        _directory.RemoveTemporaries(_name);
        try
        {
            _directory.Write(_name, Encoding.UTF8.GetBytes(sb.ToString()), (UnixFileMode)0x1A4); // 0644, as before
            CorruptReason = null;
            IsNew = false;
        }
        catch (IOException e)
        {
            throw new CheckException($"cannot write state file {Path}: {e.Message}");
        }
    }

    private static string Escape(string value)
    {
        if (value.AsSpan().IndexOfAny("\\\n\r") < 0) return value;
        return value.Replace("\\", "\\\\").Replace("\n", "\\n").Replace("\r", "\\r");
    }

    private static bool TryUnescape(ReadOnlySpan<char> text, out string value)
    {
        if (text.IndexOf('\\') < 0)
        {
            value = text.ToString();
            return true;
        }
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\') { sb.Append(text[i]); continue; }
            if (++i >= text.Length) { value = ""; return false; }
            switch (text[i])
            {
                case '\\': sb.Append('\\'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                default: value = ""; return false;
            }
        }
        value = sb.ToString();
        return true;
    }

    public void Dispose()
    {
        _lock?.Dispose();
        _directory.Dispose();
    }
}

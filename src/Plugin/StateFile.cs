using System.Diagnostics;
using System.Text;

namespace DuplicityChecks.Plugin;

/// <summary>
/// A small key=value file kept between check runs (the nagiosplugin Cookie idea, acquisition phase):
/// <list type="bullet">
/// <item>an exclusive lock on <c>FILE.lock</c> for as long as the object lives, so two checks of the same log
/// (a manual run while Icinga runs it) take turns instead of both reading the same new bytes;</item>
/// <item>changes are written only by <see cref="Commit"/>: a temporary file in the same directory, fsync, then
/// rename over the old file, so a crash leaves the old state or the new one, never half of each;</item>
/// <item>a file that cannot be parsed is reported (<see cref="CorruptReason"/>) and rebuilt by the next commit,
/// so the check does not fail the same way forever.</item>
/// </list>
/// The format is hand-written (no reflection): a header line, <c>key=value</c> lines (values escaped), an end
/// line. The lock file is separate because the state file itself is replaced on every commit.
/// </summary>
public sealed class StateFile : IDisposable
{
    public const string Header = "# duplicity-checks state v1";
    public const string Trailer = "# end";

    private readonly FileStream _lock;
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    private StateFile(string path, FileStream lockStream)
    {
        Path = path;
        _lock = lockStream;
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
    /// for another check that holds the lock. Unusable paths and a lock that never comes are CheckExceptions.
    /// </summary>
    public static StateFile Open(string path, TimeSpan lockWait, CancellationToken cancellation = default)
    {
        var full = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(full)!;
        try
        {
            Directory.CreateDirectory(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckException($"cannot create state directory {dir}: {e.Message}");
        }

        var lockStream = AcquireLock(full + ".lock", lockWait, cancellation);
        var state = new StateFile(full, lockStream);
        try
        {
            state.Load();
        }
        catch
        {
            state.Dispose();
            throw;
        }
        return state;
    }

    private static FileStream AcquireLock(string lockPath, TimeSpan wait, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                // FileShare.None makes .NET take flock(LOCK_EX | LOCK_NB) on Unix; a holder in another process (or
                // another open in this one) makes the open fail with a sharing violation, and we poll.
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new CheckException($"cannot open state lock {lockPath}: {e.Message}");
            }
            catch (IOException e) when (IsSharingViolation(e))
            {
                if (clock.Elapsed >= wait)
                    throw new CheckException($"state file {lockPath[..^5]} is locked by another check (waited {clock.Elapsed.TotalSeconds:0.#} s)");
                cancellation.ThrowIfCancellationRequested();
                Thread.Sleep(20);
            }
            catch (IOException e)
            {
                throw new CheckException($"cannot open state lock {lockPath}: {e.Message}");
            }
        }
    }

    // On Linux .NET reports the failed flock as the errno EWOULDBLOCK (11) in HResult; Windows-style sharing and
    // lock violations (32, 33) are accepted too.
    private static bool IsSharingViolation(IOException e) => e.GetType() == typeof(IOException) && (e.HResult & 0xFFFF) is 11 or 32 or 33;

    private void Load()
    {
        string text;
        try
        {
            if (!File.Exists(Path))
            {
                IsNew = true;
                return;
            }
            text = File.ReadAllText(Path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckException($"cannot read state file {Path}: {e.Message}");
        }

        if (!TryParse(text, _values, out var reason))
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

    /// <summary>Writes the values atomically: temp file in the same directory, fsync, rename.</summary>
    public void Commit()
    {
        var sb = new StringBuilder();
        sb.Append(Header).Append('\n');
        foreach (var (k, v) in _values.OrderBy(p => p.Key, StringComparer.Ordinal))
            sb.Append(k).Append('=').Append(Escape(v)).Append('\n');
        sb.Append(Trailer).Append('\n');
        var temp = $"{Path}.tmp-{Environment.ProcessId}";
        try
        {
            using (var f = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.None))
            {
                f.Write(Encoding.UTF8.GetBytes(sb.ToString()));
                f.Flush(flushToDisk: true);
            }
            File.Move(temp, Path, overwrite: true);
            CorruptReason = null;
            IsNew = false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
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

    public void Dispose() => _lock.Dispose();
}

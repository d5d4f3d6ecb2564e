using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using DuplicityChecks.Duplicity.Model;

namespace DuplicityChecks.Duplicity.ArchiveDir.Cache;

/// <summary>What a listing cache file holds: the stamps it is valid for, and the assembled backup (no lock holder:
/// that is read live on every run).</summary>
public sealed record ListingCacheEntry(
    string Producer,
    string Directory,
    VolumeCounting Volumes,
    FileStamp Folder,
    IReadOnlyList<(string FileName, FileStamp Stamp)> Manifests,
    ArchiveDirBackup Backup);

/// <summary>
/// The listing cache's file format: a header (magic, format version, payload length, checksum) and a little-endian
/// payload written with <see cref="BinaryWriter"/> (no reflection). The file lives in a directory only the
/// monitoring user writes, but is still read as untrusted: every count and value is checked, and anything short,
/// long, out of range or with a wrong checksum is no entry at all (the folder is then listed as if never cached).
/// </summary>
public static class ListingCacheFormat
{
    private const uint Magic = 0x4C434344; // "DCCL"
    private const int FormatVersion = 1;
    private const int HeaderLength = 4 + 4 + 4 + 8;

    /// <summary>
    /// Larger files are not read (a miss): a cache of 100,000 files is about 1.2 MB, so this holds well over a million,
    /// and the read stays within the checks' memory bound (64 MiB).
    /// </summary>
    public const int MaxLength = 16 << 20;

    /// <summary><see cref="MaxLength"/> in words.</summary>
    public const string MaxLengthText = "16 MiB";

    public static byte[] Write(ListingCacheEntry entry)
    {
        using var payload = new MemoryStream();
        using (var w = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(entry.Producer);
            w.Write(entry.Directory);
            w.Write((int)entry.Volumes);
            WriteStamp(w, entry.Folder);
            w.Write(entry.Manifests.Count);
            foreach (var (name, stamp) in entry.Manifests)
            {
                w.Write(name);
                WriteStamp(w, stamp);
            }
            var b = entry.Backup;
            w.Write(b.DuplicityFiles);
            w.Write(b.PartialFiles);
            w.Write(b.LockFilePresent);
            w.Write(b.LegacyLockFilePresent);
            WriteSets(w, b.SupersededSets);
            var c = b.Collection;
            w.Write(c.Chains.Count);
            foreach (var chain in c.Chains)
            {
                w.Write((byte)chain.Kind);
                WriteSets(w, chain.Sets);
            }
            w.Write(c.IncompleteSets);
            WriteSets(w, c.IncompleteSetList);
            w.Write(c.OrphanedSets);
            w.Write(c.Warnings.Count);
            foreach (var warning in c.Warnings) w.Write(warning);
            w.Write(c.NewestSetMayBeIncomplete);
            w.Write(c.DuplicityVersion is not null);
            if (c.DuplicityVersion is not null) w.Write(c.DuplicityVersion);
        }
        var body = payload.GetBuffer().AsSpan(0, (int)payload.Length);
        var file = new byte[HeaderLength + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(file, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(4), FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(8), body.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(12), Checksum(body));
        body.CopyTo(file.AsSpan(HeaderLength));
        return file;
    }

    /// <summary>The entry in <paramref name="file"/>, named <paramref name="name"/>; null with a reason when it is not a
    /// valid entry of this format.</summary>
    public static ListingCacheEntry? Read(byte[] file, string name, out string? reason)
    {
        reason = null;
        if (file.Length < HeaderLength || BinaryPrimitives.ReadUInt32LittleEndian(file) != Magic)
            return Invalid("not a listing cache file", out reason);
        if (BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(4)) != FormatVersion)
            return Invalid("another format version", out reason);
        var length = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(8));
        if (length != file.Length - HeaderLength) return Invalid("cut off or overlong", out reason);
        if (BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(12)) != Checksum(file.AsSpan(HeaderLength)))
            return Invalid("checksum mismatch", out reason);
        try
        {
            using var r = new BinaryReader(new MemoryStream(file, HeaderLength, length, writable: false), Encoding.UTF8);
            var remaining = () => r.BaseStream.Length - r.BaseStream.Position;
            var producer = r.ReadString();
            var directory = r.ReadString();
            var volumes = (VolumeCounting)r.ReadInt32();
            if (!Enum.IsDefined(volumes)) return Invalid("bad volume counting", out reason);
            var folder = ReadStamp(r);
            var manifests = new List<(string, FileStamp)>(Count(r, remaining(), 8));
            for (var i = manifests.Capacity; i > 0; i--) manifests.Add((ReadFileName(r), ReadStamp(r)));
            var duplicityFiles = NonNegative(r.ReadInt32());
            var partialFiles = NonNegative(r.ReadInt32());
            var lockFile = r.ReadBoolean();
            var legacyLockFile = r.ReadBoolean();
            var superseded = ReadSets(r, remaining);
            var chains = new List<BackupChain>(Count(r, remaining(), 5));
            for (var i = chains.Capacity; i > 0; i--)
            {
                var kind = (ChainKind)r.ReadByte();
                if (!Enum.IsDefined(kind)) return Invalid("bad chain kind", out reason);
                var sets = ReadSets(r, remaining);
                if (sets.Count == 0) return Invalid("an empty chain", out reason);
                chains.Add(new BackupChain(kind, sets));
            }
            var incompleteSets = NonNegative(r.ReadInt32());
            var incompleteList = ReadSets(r, remaining);
            var orphaned = NonNegative(r.ReadInt32());
            var warnings = new List<string>(Count(r, remaining(), 1));
            for (var i = warnings.Capacity; i > 0; i--) warnings.Add(r.ReadString());
            var mayBeIncomplete = r.ReadBoolean();
            var version = r.ReadBoolean() ? r.ReadString() : null;
            if (remaining() != 0) return Invalid("trailing bytes", out reason);

            var collection = new BackupCollection
            {
                Name = name,
                Source = BackupSourceKind.ArchiveDir,
                SourceDescription = directory,
                DuplicityVersion = version,
                Chains = chains,
                IncompleteSets = incompleteSets,
                IncompleteSetList = incompleteList,
                OrphanedSets = orphaned,
                Warnings = warnings,
                NewestSetMayBeIncomplete = mayBeIncomplete,
            };
            var backup = new ArchiveDirBackup(collection, directory, duplicityFiles, partialFiles, lockFile, legacyLockFile, superseded)
            {
                ManifestsRead = [.. manifests.Select(m => m.Item1)],
            };
            return new ListingCacheEntry(producer, directory, volumes, folder, manifests, backup);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or InvalidDataException or ArgumentException or FormatException)
        {
            return Invalid($"unreadable ({e.GetType().Name})", out reason);
        }
    }

    /// <summary>The file with its length and checksum made to match its payload (tests: forged payloads must not crash the reader).</summary>
    internal static byte[] Resealed(byte[] file)
    {
        var copy = (byte[])file.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(8), copy.Length - HeaderLength);
        BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(12), Checksum(copy.AsSpan(HeaderLength)));
        return copy;
    }

    private static ListingCacheEntry? Invalid(string why, out string reason)
    {
        reason = why;
        return null;
    }

    // FNV-1a over 64-bit words (and the tail bytes): catches a torn or edited file; not a defence against someone who
    // can write the monitoring user's state directory (they could change the check itself).
    private static ulong Checksum(ReadOnlySpan<byte> data)
    {
        var hash = 14695981039346656037UL;
        var words = MemoryMarshal.Cast<byte, ulong>(data);
        foreach (var w in words) hash = (hash ^ w) * 1099511628211UL;
        foreach (var b in data[(words.Length * 8)..]) hash = (hash ^ b) * 1099511628211UL;
        return hash ^ (ulong)data.Length;
    }

    private static void WriteStamp(BinaryWriter w, FileStamp s)
    {
        w.Write(s.DeviceMajor);
        w.Write(s.DeviceMinor);
        w.Write(s.Inode);
        w.Write(s.Size);
        w.Write(s.ModifiedSeconds);
        w.Write(s.ModifiedNanoseconds);
        w.Write(s.ChangedSeconds);
        w.Write(s.ChangedNanoseconds);
    }

    private static FileStamp ReadStamp(BinaryReader r)
        => new(r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt64(), r.ReadUInt64(), r.ReadInt64(), r.ReadUInt32(), r.ReadInt64(), r.ReadUInt32());

    private static void WriteSets(BinaryWriter w, IReadOnlyList<BackupSet> sets)
    {
        w.Write(sets.Count);
        foreach (var s in sets)
        {
            w.Write((byte)s.Type);
            w.Write(s.Time.UtcTicks);
            w.Write(s.Volumes);
            w.Write((byte)(s.Encrypted switch { null => 0, false => 1, true => 2 }));
            w.Write(s.Complete);
            w.Write(s.StartTime is not null);
            if (s.StartTime is { } start) w.Write(start.UtcTicks);
        }
    }

    private static List<BackupSet> ReadSets(BinaryReader r, Func<long> remaining)
    {
        var sets = new List<BackupSet>(Count(r, remaining(), 16));
        for (var i = sets.Capacity; i > 0; i--)
        {
            var type = (BackupSetType)r.ReadByte();
            if (!Enum.IsDefined(type)) throw new InvalidDataException("bad set type");
            var time = Utc(r.ReadInt64());
            var volumes = NonNegative(r.ReadInt32());
            bool? encrypted = r.ReadByte() switch { 0 => null, 1 => false, 2 => true, _ => throw new InvalidDataException("bad encryption flag") };
            var complete = r.ReadBoolean();
            DateTimeOffset? start = r.ReadBoolean() ? Utc(r.ReadInt64()) : null;
            sets.Add(new BackupSet(type, time, volumes, encrypted, complete, start));
        }
        return sets;
    }

    // A count that the remaining bytes can hold at minimum bytes per item: a forged count cannot allocate much.
    private static int Count(BinaryReader r, long remaining, int minimumBytesEach)
    {
        var n = r.ReadInt32();
        if (n < 0 || (long)n * minimumBytesEach > remaining) throw new InvalidDataException("count out of range");
        return n;
    }

    private static int NonNegative(int n) => n >= 0 ? n : throw new InvalidDataException("negative count");

    private static DateTimeOffset Utc(long ticks)
        => ticks is >= 0 and <= 3155378975999999999 ? new DateTimeOffset(ticks, TimeSpan.Zero) : throw new InvalidDataException("time out of range");

    private static string ReadFileName(BinaryReader r)
    {
        var name = r.ReadString();
        // Joined to the cached folder to stat it: a name must stay inside that folder.
        if (name.Length == 0 || name.Contains('/') || name is "." or "..") throw new InvalidDataException("bad file name");
        return name;
    }
}

namespace DuplicityChecks.Duplicity.Logs;

/// <summary>
/// For <c>--scope last-run</c> on a big log: finds where a forward scan must start to see the whole last run
/// without reading the file from the beginning. It reads backwards from the end in blocks, looking for the
/// Backup Statistics heading (a run boundary: nothing of a run follows its statistics, RunBoundaryRules 2).
/// The scan starts at the line of the second-to-last heading: everything of the last run, and of the run whose
/// statistics the last heading may be, lies after it. With fewer than two headings it starts at 0.
/// Cost: the bytes after the second-to-last statistics block, twice at most, whatever the file's size.
/// The blocks start small and double up to <c>maxBlock</c>: a typical last run is a few KiB, and a 1 MiB
/// first read cost more than the rest of the check (its page faults and copy: 1.2 ms of system time per run).
/// </summary>
public static class LastRunLocator
{
    private static readonly byte[][] Headings = ["[ Backup Statistics ]"u8.ToArray(), "[ Sicherungsstatistiken ]"u8.ToArray()];
    private static readonly int Overlap = Headings.Max(h => h.Length) - 1;

    public static long FindScanStart(Stream file, long length, out long bytesRead, int firstBlock = 16 << 10, int maxBlock = 1 << 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(firstBlock, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBlock, firstBlock);
        bytesRead = 0;
        var blockSize = firstBlock;
        var buffer = new byte[blockSize + Overlap];
        var carry = 0; // bytes at the start of buffer that came from the block after this one
        var end = length;
        var found = 0;
        while (end > 0)
        {
            var start = Math.Max(0, end - blockSize);
            var blockLength = (int)(end - start);
            if (carry > 0) buffer.AsSpan(0, carry).CopyTo(buffer.AsSpan(blockLength)); // keep the overlap after this block
            file.Position = start;
            file.ReadExactly(buffer.AsSpan(0, blockLength));
            bytesRead += blockLength;
            var span = buffer.AsSpan(0, blockLength + carry);
            while (true)
            {
                var at = -1;
                foreach (var h in Headings) at = Math.Max(at, span.LastIndexOf(h));
                if (at < 0) break;
                if (at < blockLength && ++found == 2) return LineStart(file, start + at, ref bytesRead);
                span = span[..at];
            }
            carry = Math.Min(Overlap, blockLength + carry); // the span's first bytes (blocks may be shorter than a heading)
            end = start;
            if (blockSize < maxBlock)
            {
                // The next block is larger: a larger buffer, with this block's first bytes as its carry.
                blockSize = (int)Math.Min((long)blockSize * 2, maxBlock);
                var larger = new byte[blockSize + Overlap];
                buffer.AsSpan(0, carry).CopyTo(larger);
                buffer = larger;
            }
        }
        return 0;
    }

    private static long LineStart(Stream file, long position, ref long bytesRead)
    {
        var window = new byte[4096];
        var end = position;
        while (end > 0)
        {
            var start = Math.Max(0, end - window.Length);
            var len = (int)(end - start);
            file.Position = start;
            file.ReadExactly(window.AsSpan(0, len));
            bytesRead += len;
            var nl = window.AsSpan(0, len).LastIndexOf((byte)'\n');
            if (nl >= 0) return start + nl + 1;
            end = start;
        }
        return 0;
    }
}

using System.Text;
using System.Globalization;
using DuplicityChecks.Duplicity.Logs;

namespace DuplicityChecks.Duplicity.Tests.Logs;

/// <summary>The statistics number parser's fast path gives exactly what double.TryParse gives, bit for bit.</summary>
public class StatisticsValueTests
{
    private static readonly string[] Values =
    [
        "1795687972.24", "1795687972.25", "0.00", "0.01", "12021482", "4104", "-301", "+7", "-0", "0", "5.", ".5",
        "123456789012345", "1234567890123456", "12345678901234567890", "0.1", "0.3", "2.675", "1e5", "1,5", "", "-",
        ".", "1.2.3", "12a", " 1", "1 ", "999999999999999.9", "0.000000000000001", "1795688184.00", "--1", "+-1",
    ];

    [Test]
    public void Fast_path_matches_the_general_parser([ValueSource(nameof(Values))] string text)
    {
        var expectedOk = double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var expected);
        var ok = BackupStatistics.TryParseValue(text, out var value);
        ok.Should().Be(expectedOk);
        if (ok) BitConverter.DoubleToInt64Bits(value).Should().Be(BitConverter.DoubleToInt64Bits(expected), $"'{text}' parses to {expected:R}");
    }

    [Test]
    public void Fast_path_matches_the_general_parser_on_random_decimals()
    {
        var random = new Random(6);
        for (var i = 0; i < 100_000; i++)
        {
            var digits = random.Next(1, 16);
            var text = random.NextInt64(0, (long)Math.Pow(10, digits)).ToString(CultureInfo.InvariantCulture);
            var point = random.Next(0, text.Length + 1);
            if (random.Next(3) > 0) text = text[..point] + "." + text[point..];
            if (random.Next(4) == 0) text = "-" + text;
            var expectedOk = double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var expected);
            BackupStatistics.TryParseValue(text, out var value).Should().Be(expectedOk, text);
            if (expectedOk && BitConverter.DoubleToInt64Bits(value) != BitConverter.DoubleToInt64Bits(expected))
                Assert.Fail($"'{text}': {value:R} instead of {expected:R}");
        }
    }
}

/// <summary>
/// The statistics line reader (value read in place, key named before its letters are checked, whole numbers
/// taken without the division and rounding) against the reading it replaced, written out plainly here.
/// </summary>
public class StatisticsLineTests
{
    private static readonly string[] Keys =
    [
        "StartTime", "EndTime", "ElapsedTime", "SourceFiles", "SourceFileSize", "NewFiles", "NewFileSize", "DeletedFiles", "ChangedFiles",
        "ChangedFileSize", "ChangedDeltaSize", "DeltaEntries", "RawDeltaSize", "TotalDestinationSizeChange", "Errors",
        "FutureKey", "Errorz", "DeletedFilez", "DeltaEntriez", "Sourcefiles", "Err0rs", "Errörs", "E", "TotalDestinationSizeChangeX",
    ];

    private static readonly string[] Values =
    [
        "0", "-0", "+0", "7", "-301", "+7", "12021390", "1795688184.00", "1795688184.25", "0.01", "5.", ".5", "2.5", "3.5", "-2.5", "0.4999999",
        "123456789012345", "1234567890123456", "12345678901234567890", "999999999999999.9", "1e3", "0x10", "1,5", "", "-", ".", "1.2.3",
        "12a", "٣", "1e400", "99999999999999999999.0", "007", "--1",
    ];

    private static readonly string[] Tails = ["", " (11.5 MB)", "  ", " x", "\r", "\r\r", "\t", "\t(x)"];

    [Test]
    public void Every_key_value_and_tail_reads_as_the_plain_reading()
    {
        var compared = 0;
        foreach (var key in Keys)
            foreach (var value in Values)
                foreach (var tail in Tails)
                    foreach (var gap in new[] { " ", "  ", "\t", "" })
                    {
                        var line = key + gap + value + tail;
                        var fast = new BackupStatistics();
                        var plain = new PlainStatistics();
                        var ok = fast.TryAddLine(Encoding.UTF8.GetBytes(line));
                        ok.Should().Be(plain.TryAddLine(line), line);
                        Describe(fast).Should().Be(plain.Describe(), line);
                        compared++;
                    }
        compared.Should().BeGreaterThan(20_000);
    }

    [Test]
    public void Random_numbers_read_as_the_plain_reading()
    {
        var random = new Random(66);
        for (var i = 0; i < 50_000; i++)
        {
            var key = Keys[random.Next(15)];
            var digits = random.Next(1, 18);
            var all = random.NextInt64(0, long.MaxValue).ToString(CultureInfo.InvariantCulture);
            var text = all[..Math.Min(digits, all.Length)];
            if (random.Next(2) == 0) { var p = random.Next(0, text.Length + 1); text = text[..p] + "." + text[p..]; }
            if (random.Next(4) == 0) text = "-" + text;
            var line = $"{key} {text}{(random.Next(2) == 0 ? " (x)" : "")}";
            var fast = new BackupStatistics();
            var plain = new PlainStatistics();
            fast.TryAddLine(Encoding.UTF8.GetBytes(line)).Should().Be(plain.TryAddLine(line), line);
            var (a, b) = (Describe(fast), plain.Describe());
            if (a != b) Assert.Fail($"'{line}': {a} instead of {b}");
        }
    }

    private static string Describe(BackupStatistics s) => string.Join(',', Bits(s.StartTime), Bits(s.EndTime), Bits(s.ElapsedTime), s.SourceFiles,
        s.SourceFileSize, s.NewFiles, s.NewFileSize, s.DeletedFiles, s.ChangedFiles, s.ChangedFileSize, s.ChangedDeltaSize, s.DeltaEntries,
        s.RawDeltaSize, s.TotalDestinationSizeChange, s.Errors);

    private static string Bits(double? d) => d is { } v ? BitConverter.DoubleToInt64Bits(v).ToString("x") : "-";

    /// <summary>The reading as the format describes it: letters, a blank, a number up to the next blank; double.TryParse; Math.Round.</summary>
    private sealed class PlainStatistics
    {
        private readonly Dictionary<string, double> _values = [];

        public bool TryAddLine(string line)
        {
            line = line.TrimEnd('\r');
            var space = 0;
            while (space < line.Length && char.IsAsciiLetter(line[space])) space++;
            if (space == 0 || space == line.Length || line[space] != ' ') return false;
            var rest = line[(space + 1)..];
            var end = rest.IndexOf(' ');
            if (!double.TryParse(end < 0 ? rest : rest[..end], NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture,
                    out var value))
                return false;
            _values[line[..space]] = value;
            return true;
        }

        public string Describe() => string.Join(',', Real("StartTime"), Real("EndTime"), Real("ElapsedTime"), Whole("SourceFiles"), Whole("SourceFileSize"),
            Whole("NewFiles"), Whole("NewFileSize"), Whole("DeletedFiles"), Whole("ChangedFiles"), Whole("ChangedFileSize"), Whole("ChangedDeltaSize"),
            Whole("DeltaEntries"), Whole("RawDeltaSize"), Whole("TotalDestinationSizeChange"), Whole("Errors"));

        private string Real(string key) => Bits(_values.TryGetValue(key, out var v) ? v : null);

        private long? Whole(string key) => _values.TryGetValue(key, out var v) ? (long)Math.Round(v) : null;
    }
}

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

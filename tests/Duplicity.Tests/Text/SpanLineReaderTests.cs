using System.Text;
using DuplicityChecks.Duplicity.Tests.CollectionStatus;
using DuplicityChecks.Duplicity.Text;

namespace DuplicityChecks.Duplicity.Tests.Text;

/// <summary>
/// <see cref="SpanLineReader"/> against <see cref="TextReader.ReadLine"/> (StreamReader and StringReader), the
/// rules it must keep: line ends "\n", "\r\n" and a lone "\r", a last line without a line end, lines longer than
/// the buffer, and a "\r" and its "\n" in different reads (readers that hand out 1 to 7 characters at a time).
/// </summary>
public class SpanLineReaderTests
{
    /// <summary>A reader that hands out at most <paramref name="chunk"/> characters per read: every line crosses reads.</summary>
    private sealed class TrickleReader(string text, int chunk) : TextReader
    {
        private int _position;

        public override int Read(char[] buffer, int index, int count)
        {
            var n = Math.Min(Math.Min(count, chunk), text.Length - _position);
            text.CopyTo(_position, buffer, index, n);
            _position += n;
            return n;
        }
    }

    private static List<string> ByReadLine(TextReader reader)
    {
        var lines = new List<string>();
        while (reader.ReadLine() is { } line) lines.Add(line);
        return lines;
    }

    private static List<string> BySpans(TextReader reader, IReadOnlyList<string>? first = null)
    {
        var lines = new List<string>();
        using var spans = new SpanLineReader(reader, first);
        while (spans.TryReadLine(out var line)) lines.Add(line.ToString());
        spans.TryReadLine(out _).Should().BeFalse("the end stays the end");
        return lines;
    }

    private static readonly int[] Chunks = [1, 2, 3, 7, 4096];

    private static void ShouldReadAsReadLine(string text)
    {
        var expected = ByReadLine(new StringReader(text));
        BySpans(new StringReader(text)).Should().Equal(expected, $"StringReader over {Show(text)}");
        foreach (var chunk in Chunks)
            BySpans(new TrickleReader(text, chunk)).Should().Equal(expected, $"{chunk} characters per read over {Show(text)}");
        var bytes = Encoding.UTF8.GetBytes(text);
        ByReadLine(new StreamReader(new MemoryStream(bytes), Encoding.UTF8)).Should().Equal(expected, "StreamReader and StringReader agree");
        BySpans(new StreamReader(new MemoryStream(bytes), Encoding.UTF8)).Should().Equal(expected, $"StreamReader over {Show(text)}");
    }

    private static string Show(string text) => text.Length > 60 ? $"{text.Length} characters" : $"'{text.Replace("\r", "\\r").Replace("\n", "\\n")}'";

    [TestCase("")]
    [TestCase("a")]
    [TestCase("a\n")]
    [TestCase("a\r")]
    [TestCase("a\r\n")]
    [TestCase("\n")]
    [TestCase("\r")]
    [TestCase("\r\n")]
    [TestCase("\n\r")]
    [TestCase("\r\r\n\n")]
    [TestCase("a\nb")]
    [TestCase("a\r\nb\r\n")]
    [TestCase("a\rb\rc")]
    [TestCase("a\n\nb\n\n")]
    [TestCase("a\r\r\nb\n\r\nc\r")]
    [TestCase("\u2028not a line end\u0085 nor this\f\v")]
    public void Reads_lines_as_ReadLine_does(string text) => ShouldReadAsReadLine(text);

    [Test]
    public void Random_texts_of_line_ends_read_as_ReadLine_does()
    {
        var random = new Random(6);
        var alphabet = "ab\r\n";
        for (var k = 0; k < 2000; k++)
        {
            var text = new string(Enumerable.Range(0, random.Next(0, 40)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            ShouldReadAsReadLine(text);
        }
    }

    [Test]
    public void Lines_longer_than_the_buffer_and_line_ends_at_every_buffer_edge()
    {
        // The buffer starts at 16 Ki characters; a "\r" or "\r\n" right at its edge, and lines of up to 100,000.
        foreach (var length in new[] { 16 * 1024 - 2, 16 * 1024 - 1, 16 * 1024, 16 * 1024 + 1, 40_000, 100_000 })
            foreach (var end in new[] { "\n", "\r", "\r\n", "" })
                ShouldReadAsReadLine(new string('x', length) + end + "next\r\n" + new string('y', length / 3) + end);
        // Many lines, so the unread text is moved to the front again and again, with a "\r\n" at every offset.
        var many = new StringBuilder();
        for (var i = 0; i < 20_000; i++) many.Append('z', i % 37).Append(i % 3 == 0 ? "\r\n" : i % 3 == 1 ? "\n" : "\r");
        ShouldReadAsReadLine(many.ToString());
    }

    [Test]
    public void Every_recorded_fixture_reads_as_ReadLine_does_also_with_CRLF_and_lone_CR()
    {
        var files = FixtureStep.All.SelectMany(s => new[] { "stdout.txt", "log-fd3.txt", "stderr.txt", "output-merged.txt" }.Where(s.Has).Select(s.PathOf)).ToList();
        files.Should().HaveCountGreaterThan(100);
        foreach (var file in files)
        {
            var text = new StreamReader(file, Encoding.UTF8).ReadToEnd();
            ShouldReadAsReadLine(text);
            ShouldReadAsReadLine(text.Replace("\n", "\r\n"));
            ShouldReadAsReadLine(text.Replace("\n", "\r"));
            ShouldReadAsReadLine(text.TrimEnd('\n'));
        }
    }

    [Test]
    public void Lines_read_ahead_as_strings_come_first_then_the_rest_of_the_reader()
    {
        var reader = new StringReader("one\r\ntwo\rthree\n\nfour");
        var first = new List<string> { reader.ReadLine()!, reader.ReadLine()! };
        BySpans(reader, first).Should().Equal("one", "two", "three", "", "four");
        BySpans(new StringReader(""), ["only"]).Should().Equal("only");
    }

    [Test]
    public void Decoding_stays_with_the_StreamReader_BOM_and_invalid_bytes()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, (byte)'a', 0xFF, (byte)'\r', (byte)'\n', 0xC3, 0xA4, (byte)'\r'];
        var expected = ByReadLine(new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true));
        expected.Should().Equal("a\uFFFD", "ä");
        BySpans(new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true)).Should().Equal(expected);
    }
}

using DuplicityChecks.Duplicity.CollectionStatus;

namespace DuplicityChecks.Duplicity.Tests.CollectionStatus;

/// <summary>
/// The span splitting of the machine listing against <c>Split</c>, which it replaced. What the span parsers make of
/// every recorded collection-status and its damaged variants is compared with its recording
/// (<see cref="Golden.CollectionStatusGoldenTests"/>).
/// </summary>
public class SpanParsingComparisonTests
{
    [Test]
    public void Four_words_are_split_as_Split_with_RemoveEmptyEntries_splits_them()
    {
        var random = new Random(4);
        var alphabet = "  ab\t";
        Span<Range> expected = stackalloc Range[5];
        Span<Range> actual = stackalloc Range[4];
        var fours = 0;
        for (var k = 0; k < 20_000; k++)
        {
            var text = new string(Enumerable.Range(0, random.Next(0, 16)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            var four = text.AsSpan().Split(expected, ' ', StringSplitOptions.RemoveEmptyEntries) == 4;
            MachineStatusParser.TrySplitFour(text, actual).Should().Be(four, $"'{text}'");
            if (!four) continue;
            fours++;
            for (var p = 0; p < 4; p++) actual[p].Should().Be(expected[p], $"word {p} of '{text}'");
        }
        fours.Should().BeGreaterThan(500);
        MachineStatusParser.TrySplitFour(" full 20261126T101333Z  3 enc ", actual).Should().BeTrue();
        MachineStatusParser.TrySplitFour("full 20261126T101333Z 3 enc x", actual).Should().BeFalse();
    }
}

using Sockit.Addressing;

namespace Sockit.Tests.Addressing;

public sealed class PortListTests
{
    [Theory]
    [InlineData("22,80-90,mysql", new[] { 22, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 3306 })]
    [InlineData("80,22,80,http", new[] { 22, 80 })]
    [InlineData("65535", new[] { 65535 })]
    [InlineData("5-5", new[] { 5 })]
    [InlineData("ftp-data", new[] { 20 })]
    public void ParsesNumbersRangesAndServiceNamesSortedAndDistinct(string text, int[] expected) =>
        Assert.Equal(expected, PortList.Parse(text, ServiceTable.BuiltIn));

    [Theory]
    [InlineData("90-80", "runs backwards")]
    [InlineData("1-70000", "'1-70000' is not a port range")]
    [InlineData("80-", "'80-' is not a port range")]
    [InlineData("0", "port 0")]
    [InlineData("22,,80", "empty")]
    [InlineData("nosuch", "'nosuch' is not a port or a known tcp service name")]
    [InlineData("70000", "'70000' is not a port")]
    public void RejectsBadItemsByName(string text, string reason)
    {
        var ex = Assert.Throws<FormatException>(() => PortList.Parse(text, ServiceTable.BuiltIn));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }
}

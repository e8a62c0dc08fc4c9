using Sockit.Addressing;

namespace Sockit.Tests.Addressing;

public sealed class ServiceTableTests
{
    private const string Sample = """
        # comment line
        ssh             22/tcp                          # SSH Remote Login Protocol
        smtp            25/tcp          mail
        domain          53/tcp
        domain          53/udp
        http            80/tcp          www             # WorldWideWeb HTTP
        www-alt         80/tcp
        sctpthing       9/sctp
        broken          notaport/tcp
        toolarge        70000/tcp
        noproto         81
        """;

    private static ServiceTable SampleTable() => ServiceTable.Parse(new StringReader(Sample), "sample");

    [Fact]
    public void ParseKeepsTcpAndUdpLinesInFileOrderAndSkipsTheRest()
    {
        var table = SampleTable();

        Assert.Equal(["ssh", "smtp", "domain", "domain", "http", "www-alt"], table.Entries.Select(e => e.Name));
        Assert.Equal("sample", table.Source);
        Assert.False(table.IsBuiltIn);
    }

    [Fact]
    public void FindByNameMatchesNamesAndAliasesCaseSensitively()
    {
        var table = SampleTable();

        Assert.Equal(25, table.FindByName("mail")?.Port);
        Assert.Equal(80, table.FindByName("www")?.Port);
        Assert.Null(table.FindByName("SSH"));
        Assert.Null(table.FindByName("ssh", ServiceProtocol.Udp));
        Assert.Equal(ServiceProtocol.Udp, table.FindByName("domain", ServiceProtocol.Udp)?.Protocol);
    }

    [Fact]
    public void FindByPortReturnsTheFirstLineLikeGetservbyport()
    {
        var table = SampleTable();

        Assert.Equal("http", table.FindByPort(80)?.Name);
        Assert.Equal(["www"], table.FindByPort(80)!.Aliases);
        Assert.Null(table.FindByPort(80, ServiceProtocol.Udp));
        Assert.Null(table.FindByPort(81));
    }

    [Theory]
    [InlineData("ssh", 22)]
    [InlineData("telnet", 23)]
    [InlineData("smtp", 25)]
    [InlineData("domain", 53)]
    [InlineData("http", 80)]
    [InlineData("pop3", 110)]
    [InlineData("imap", 143)]
    [InlineData("https", 443)]
    [InlineData("mysql", 3306)]
    [InlineData("postgresql", 5432)]
    [InlineData("redis", 6379)]
    public void BuiltInTableKnowsTheCommonServices(string name, int port)
    {
        Assert.Equal(port, ServiceTable.BuiltIn.FindByName(name)?.Port);
        Assert.True(ServiceTable.BuiltIn.IsBuiltIn);
        Assert.Equal(ServiceTable.BuiltInSource, ServiceTable.BuiltIn.Source);
    }

    [Fact]
    public void LoadFallsBackToTheBuiltInTableAndSaysWhy()
    {
        var missing = Path.Combine(Path.GetTempPath(), "sockit-no-such-services-" + Guid.NewGuid().ToString("N"));

        var table = ServiceTable.Load(missing);

        Assert.True(table.IsBuiltIn);
        Assert.Equal(ServiceTable.BuiltInSource, table.Source);
        Assert.Equal($"{missing} does not exist", table.FallbackReason);
        Assert.Equal(3306, table.FindByName("mysql")?.Port);
    }

    [Fact]
    public void ADirectoryGivenAsTheServicesFileIsSaidToBeOne()
    {
        var directory = Directory.CreateTempSubdirectory("sockit-services-").FullName;
        try
        {
            var table = ServiceTable.Load(directory);

            Assert.True(table.IsBuiltIn);
            Assert.Equal($"{directory} is a directory, not a services file", table.FallbackReason);
        }
        finally
        {
            Directory.Delete(directory);
        }
    }

    [Fact]
    public void LoadReadsTheGivenFile()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "custom 4242/tcp other\n");

            var table = ServiceTable.Load(path);

            Assert.Equal(path, table.Source);
            Assert.Null(table.FallbackReason);
            Assert.Equal(4242, table.FindByName("other")?.Port);
            Assert.Null(table.FindByName("ssh"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(0, PortKind.WellKnown)]
    [InlineData(1023, PortKind.WellKnown)]
    [InlineData(1024, PortKind.Registered)]
    [InlineData(49151, PortKind.Registered)]
    [InlineData(49152, PortKind.Dynamic)]
    [InlineData(65535, PortKind.Dynamic)]
    public void PortsFallInTheirIanaRange(int port, PortKind kind) => Assert.Equal(kind, PortNumber.Classify(port));

    [Theory]
    [InlineData(-1)]
    [InlineData(65536)]
    public void ClassifyRejectsNonPorts(int port) => Assert.Throws<ArgumentOutOfRangeException>(() => PortNumber.Classify(port));

    [Theory]
    [InlineData("0", 0)]
    [InlineData("65535", 65535)]
    [InlineData("00080", 80)]
    [InlineData("mysql", 3306)]
    public void PortTextIsANumberOrAServiceName(string text, int port) =>
        Assert.Equal(port, PortNumber.ParseNumberOrService(text, ServiceTable.BuiltIn));

    [Theory]
    [InlineData("65536")]
    [InlineData("+80")]
    [InlineData("-1")]
    [InlineData(" 80")]
    [InlineData("")]
    [InlineData("Mysql")]
    public void PortTextOutsideTheGrammarIsAFormatException(string text)
    {
        var ex = Assert.Throws<FormatException>(() => PortNumber.ParseNumberOrService(text, ServiceTable.BuiltIn));
        Assert.Contains($"'{text}'", ex.Message, StringComparison.Ordinal);
    }
}

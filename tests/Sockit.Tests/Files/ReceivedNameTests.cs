using Sockit.Files;

namespace Sockit.Tests.Files;

public sealed class ReceivedNameTests
{
    [Theory]
    [InlineData("a.txt")]
    [InlineData("photos/2024/a.jpg")]
    [InlineData(".hidden")]
    [InlineData("..dots-but-not-parent")]
    [InlineData("名前/ファイル.txt")]
    [InlineData("console.log")]
    [InlineData("ab:c")]
    public void SafeRelativeNamesAreAccepted(string name) => Assert.Null(ReceivedName.Check(name));

    [Theory]
    [InlineData("", "an empty name")]
    [InlineData("/etc/passwd", "an absolute name")]
    [InlineData("C:/x", "a drive letter")]
    [InlineData("../x", "'..' component")]
    [InlineData("a/./b", "'.' component")]
    [InlineData("a//b", "empty path component")]
    [InlineData("a/", "empty path component")]
    [InlineData("a\0b", "NUL")]
    [InlineData("a\nb", "U+000A")]
    [InlineData("a\u009bb", "U+009B")]
    [InlineData("a\\b", "backslash")]
    [InlineData("a\uFFFDb", "not valid UTF-8")]
    [InlineData("prn", "device name")]
    [InlineData("dir/Aux.tar.gz", "device name")]
    [InlineData("COM1", "device name")]
    [InlineData("x/.y.sockit-part", "reserved for partial files")]
    public void UnsafeNamesAreRefusedWithTheirReason(string name, string reason) =>
        Assert.Contains(reason, ReceivedName.Check(name), StringComparison.Ordinal);

    [Fact]
    public void ANameThroughASymlinkOrAFileInsideTheRootIsRefusedAndAPlainOneResolvesInside()
    {
        var root = Directory.CreateTempSubdirectory("sockit-names-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Join(root, "real"));
            Directory.CreateSymbolicLink(Path.Join(root, "link"), "/tmp");
            File.WriteAllText(Path.Join(root, "file"), "");

            Assert.False(ReceivedName.TryResolve(root, "link/x", out _, out var viaLink));
            Assert.Contains("'link' is a symbolic link", viaLink, StringComparison.Ordinal);
            Assert.False(ReceivedName.TryResolve(root, "file/x", out _, out var viaFile));
            Assert.Contains("'file' is a file", viaFile, StringComparison.Ordinal);
            Assert.True(ReceivedName.TryResolve(root, "real/new/x", out var path, out _));
            Assert.Equal(Path.Join(root, "real", "new", "x"), path);
            Assert.Equal(Path.Join(root, "real", ".x.sockit-part"), ReceivedName.PartialPath(Path.Join(root, "real", "x")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void PrintableEscapesControlCharactersSoANameCannotDriveTheTerminal() =>
        Assert.Equal(@"a\x1b[2Jb\\c\x9b\u{2028}", ReceivedName.Printable("a\u001b[2Jb\\c\u009b\u2028"));
}

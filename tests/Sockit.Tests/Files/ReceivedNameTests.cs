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

    [Theory]
    [InlineData("a", 242)] // the longest name whose .NAME.sockit-part fits as it is
    [InlineData("a", 243)]
    [InlineData("a", 255)]
    [InlineData("é", 127)] // 254 bytes of 2-byte characters: cut between characters, never inside one
    [InlineData("😀", 63)] // 252 bytes of surrogate pairs
    public void APartialFileNameFitsIn255BytesWhateverTheNamesLengthAndIsTheSameForTheSameName(string unit, int count)
    {
        var name = string.Concat(Enumerable.Repeat(unit, count));
        var partial = Path.GetFileName(ReceivedName.PartialPath(Path.Join("/in", name)));

        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(partial), 1, 255);
        Assert.StartsWith(".", partial, StringComparison.Ordinal);
        Assert.EndsWith(ReceivedName.PartialSuffix, partial, StringComparison.Ordinal);
        Assert.Equal(partial, System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(partial))); // no half character
        Assert.Equal(partial, Path.GetFileName(ReceivedName.PartialPath(Path.Join("/in", name)))); // --resume finds it again
        if (System.Text.Encoding.UTF8.GetByteCount(name) > 242)
        {
            // Two long names that share their first 233 bytes still get two partial files.
            var other = name[..^unit.Length] + "b";
            Assert.NotEqual(partial, Path.GetFileName(ReceivedName.PartialPath(Path.Join("/in", other))));
        }
        else
        {
            Assert.Equal("." + name + ReceivedName.PartialSuffix, partial);
        }
    }
}

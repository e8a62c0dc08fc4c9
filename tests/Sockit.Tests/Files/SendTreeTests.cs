using Sockit.Files;

namespace Sockit.Tests.Files;

public sealed class SendTreeTests
{
    [Fact]
    public void ASkippedEntryCarriesItsRealNameForJsonNotTheTerminalsEscapedOne()
    {
        var root = Directory.CreateTempSubdirectory("sockit-tree-").FullName;
        try
        {
            var tree = Directory.CreateDirectory(Path.Join(root, "tree")).FullName;
            File.CreateSymbolicLink(Path.Join(tree, "tab\there \"é\""), "/etc/hostname");
            var skipped = new List<FileOutcome>();

            var sources = SendTree.Walk([tree], resume: false, skipped.Add).ToList();

            Assert.Equal(["tree"], sources.Select(s => s.Entry.Name));
            var outcome = Assert.Single(skipped);
            Assert.Equal("tree/tab\there \"é\"", outcome.Name); // ReceivedName.Printable is the display's job
            Assert.Equal(FileOutcomeStatus.Skipped, outcome.Status);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}

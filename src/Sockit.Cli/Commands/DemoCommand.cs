using System.CommandLine;

namespace Sockit.Cli.Commands;

/// <summary><c>sockit demo</c>: runnable lessons from the course notes.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var demo = new Command("demo", "Runnable lessons from the socket course (sticky packets and their fixes).");
        return demo;
    }
}

namespace Sockit.Cli.Commands;

/// <summary>What <c>sockit listen</c> does with its clients.</summary>
internal enum ListenMode
{
    Stdio,
    Echo,
    Chat,
    Broker,
    Sink,
}

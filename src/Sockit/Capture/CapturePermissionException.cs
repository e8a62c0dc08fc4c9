namespace Sockit.Capture;

/// <summary>Thrown when the process may not open a packet capture socket: Linux requires CAP_NET_RAW.</summary>
public sealed class CapturePermissionException : Exception
{
    /// <summary>The message says what is missing and the two ways to get it.</summary>
    public CapturePermissionException()
        : base("capturing packets needs CAP_NET_RAW: run it as root (sudo sockit ...), or grant it once with sudo setcap cap_net_raw+ep \"$(command -v sockit)\"")
    {
    }

    /// <summary>Creates the exception with a custom message.</summary>
    public CapturePermissionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a custom message and the error that caused it.</summary>
    public CapturePermissionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

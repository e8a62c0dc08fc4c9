namespace Sockit.Diagnostics;

/// <summary>Which way bytes went, seen from this end.</summary>
public enum TrafficDirection
{
    /// <summary>Received from the peer.</summary>
    In,

    /// <summary>Sent to the peer.</summary>
    Out,
}

namespace Sockit.Addressing;

/// <summary>The IANA port ranges of RFC 6335 §6.</summary>
public enum PortKind
{
    /// <summary>0–1023: system or "well-known" ports, assigned by IETF review; binding them needs privilege on Unix.</summary>
    WellKnown,

    /// <summary>1024–49151: user or "registered" ports, assigned by IANA on request.</summary>
    Registered,

    /// <summary>49152–65535: dynamic or private ports, never assigned; where ephemeral client ports come from.</summary>
    Dynamic,
}

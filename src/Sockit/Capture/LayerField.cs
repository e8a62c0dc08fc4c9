namespace Sockit.Capture;

/// <summary>One header field as a learner reads it.</summary>
/// <param name="Name">The field's name as the standard names it (<c>destination MAC</c>, <c>TTL</c>, <c>window</c>…).</param>
/// <param name="Value">Its value, with what it means where that helps (<c>0x0800 (IPv4)</c>).</param>
public sealed record LayerField(string Name, string Value);

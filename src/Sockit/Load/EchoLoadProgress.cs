namespace Sockit.Load;

/// <summary>A live view of a running load, for a progress line.</summary>
/// <param name="Elapsed">Time since the load started, warm-up included.</param>
/// <param name="Verified">Replies checked and found right so far, warm-up included.</param>
/// <param name="Errors">Lost, reordered and corrupted replies and failed connections so far.</param>
/// <param name="WarmingUp">Whether the warm-up is still running.</param>
public readonly record struct EchoLoadProgress(TimeSpan Elapsed, long Verified, long Errors, bool WarmingUp);

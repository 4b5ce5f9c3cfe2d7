package io.meshwork.networking.multistream;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Negotiates a protocol as the listener (responder) of a channel: answers each proposal with an
 * echo if {@code supported} accepts it, {@code na} otherwise (also for {@code ls}), then tells the
 * {@link NegotiationListener} and leaves the pipeline.
 *
 * <p>Handles lazy dialers: header, proposal and application data may arrive in one segment; the
 * bytes after the proposal reach the handlers installed in {@link NegotiationListener#selected},
 * unchanged, right after it returns.
 *
 * <p>Add it to a channel; it writes the header when the channel is active, or at once if it already
 * is. Not sharable; runs on the channel's event loop. Buffer ownership as in {@link
 * MultistreamNegotiator}. A dialer gets at most {@value ListenerNegotiation#MAX_PROPOSALS}
 * proposals. Failures are reported once through {@link NegotiationListener#failed} as a {@link
 * MultistreamException}, and the channel is closed.
 */
public final class MultistreamListener extends MultistreamNegotiator {
  /** Suggested time limit for a whole negotiation. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * @param supported whether a proposed protocol id is served here; called on the event loop
   * @param timeout time limit for the negotiation
   * @param listener told the outcome, on the event loop
   */
  public MultistreamListener(
      Predicate<String> supported, Duration timeout, NegotiationListener listener) {
    super(new ListenerNegotiation(supported), timeout, listener);
  }
}

package io.meshwork.networking.multistream;

import java.time.Duration;
import java.util.List;

/**
 * Negotiates a protocol as the dialer (initiator) of a channel: proposes {@code protocols} in order
 * until the listener echoes one, then tells the {@link NegotiationListener} and leaves the
 * pipeline.
 *
 * <p>Add it to a channel (a TCP connection, a secured channel, a Yamux stream); it starts writing
 * when the channel is active, or at once if it already is. Not sharable; runs on the channel's
 * event loop. It owns the bytes it buffers and passes any beyond the negotiation to the next
 * handler with {@code fireChannelRead} (see {@link MultistreamNegotiator}).
 *
 * <p>Lazy mode ({@code lazy} and a single protocol): the header and proposal are written, {@link
 * NegotiationListener#selected} is called at once and only then flushed, so data the application
 * writes from it (or from the {@code handlerAdded} of the handlers it installs) leaves in the same
 * flush. The dialer stays in the pipeline, swallowing the listener's header and echo, and removes
 * itself once it has read the echo; a {@code na} instead fails the negotiation ({@link
 * NoProtocolAgreedException}) and closes the channel.
 *
 * <p>Failures (all proposals refused, malformed or unexpected message, timeout, early close) are
 * reported once through {@link NegotiationListener#failed} as a {@link MultistreamException}, and
 * the channel is closed.
 */
public final class MultistreamDialer extends MultistreamNegotiator {
  /** Suggested time limit for a whole negotiation. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * @param protocols protocol ids, most preferred first (at least one; each starts with {@code /})
   * @param lazy with a single protocol, select it without waiting for the listener's echo
   * @param timeout time limit for the negotiation (lazy: until the echo has been read)
   * @param listener told the outcome, on the event loop
   */
  public MultistreamDialer(
      List<String> protocols, boolean lazy, Duration timeout, NegotiationListener listener) {
    super(new DialerNegotiation(protocols, lazy), timeout, listener);
  }
}

package io.meshwork.networking.multistream;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The listener (responder) side of multistream-select as a sans-IO state machine.
 *
 * <p>It sends the header at once, expects the dialer's header first, then answers each proposal: an
 * echo for a supported protocol (which ends the negotiation), {@code na} otherwise. {@code ls} is
 * answered with {@code na}, as go-multistream does; the spec's list format is not implemented
 * because no libp2p implementation relies on it. The multistream protocol id itself is never
 * selected.
 *
 * <p>A dialer may make at most {@value #MAX_PROPOSALS} proposals ({@code ls} counts as one);
 * further ones fail the negotiation with {@link NoProtocolAgreedException}, so a peer cannot keep a
 * connection in negotiation forever.
 *
 * <p>Not thread-safe; drive it from one thread (the channel's event loop).
 */
public final class ListenerNegotiation implements Negotiation {
  /** Most proposals (including {@code ls}) answered before the negotiation fails. */
  public static final int MAX_PROPOSALS = 32;

  private enum State {
    NEW,
    AWAIT_HEADER,
    AWAIT_PROPOSAL,
    DONE
  }

  private final Predicate<String> supported;
  private final List<String> refused = new ArrayList<>();
  private State state = State.NEW;

  /**
   * @param supported tells whether a proposed protocol id is served here
   */
  public ListenerNegotiation(Predicate<String> supported) {
    this.supported = Objects.requireNonNull(supported, "supported");
  }

  @Override
  public NegotiationStep start() {
    if (state != State.NEW) {
      throw new IllegalStateException("already started");
    }
    state = State.AWAIT_HEADER;
    return new NegotiationStep.Continue(List.of(MultistreamMessage.HEADER));
  }

  @Override
  public NegotiationStep onMessage(MultistreamMessage message) {
    switch (state) {
      case AWAIT_HEADER -> {
        if (!message.isHeader()) {
          return fail(MultistreamProtocolException.notHeader(message));
        }
        state = State.AWAIT_PROPOSAL;
        return new NegotiationStep.Continue(List.of());
      }
      case AWAIT_PROPOSAL -> {
        if (message.isNa()) {
          return fail(MultistreamProtocolException.unexpected("dialer sent na"));
        }
        String proposal = message.text();
        if (!message.isLs() && !message.isHeader() && supported.test(proposal)) {
          state = State.DONE;
          return new NegotiationStep.Selected(proposal, List.of(message));
        }
        refused.add(proposal);
        if (refused.size() > MAX_PROPOSALS) {
          return fail(
              new NoProtocolAgreedException(
                  "dialer made more than " + MAX_PROPOSALS + " proposals", refused));
        }
        return new NegotiationStep.Continue(List.of(MultistreamMessage.NA));
      }
      default -> throw new IllegalStateException("no message expected in state " + state);
    }
  }

  @Override
  public boolean isFinished() {
    return state == State.DONE;
  }

  private NegotiationStep fail(MultistreamException cause) {
    state = State.DONE;
    return new NegotiationStep.Failed(cause);
  }
}

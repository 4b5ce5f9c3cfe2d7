package io.meshwork.networking.multistream;

import java.util.List;

/**
 * The dialer (initiator) side of multistream-select as a sans-IO state machine.
 *
 * <p>It sends the header and its first proposal together (the spec lets both sides send the header
 * without waiting), then reads the listener's header and its answer to each proposal: an echo
 * selects the protocol, {@code na} moves on to the next one, and after the last refusal it fails
 * with {@link NoProtocolAgreedException}.
 *
 * <p>Lazy (0-RTT) mode, as go- and rust-libp2p do it: with a single protocol the dialer reports it
 * selected in {@link #start()} so the application can write right behind the proposal, and later
 * expects the listener's header and echo ({@link NegotiationStep.Confirmed}); {@code na} then
 * fails. With several protocols the lazy flag is ignored: trying them in order needs the answers.
 *
 * <p>Not thread-safe; drive it from one thread (the channel's event loop).
 */
public final class DialerNegotiation implements Negotiation {
  private enum State {
    NEW,
    AWAIT_HEADER,
    AWAIT_ANSWER,
    DONE
  }

  private final List<String> protocols;
  private final boolean lazy;
  private State state = State.NEW;
  private int current;

  /**
   * @param protocols protocol ids to propose, most preferred first; at least one, each starting
   *     with {@code /}
   * @param lazy select {@code protocols.get(0)} without waiting for the echo, if it is the only one
   */
  public DialerNegotiation(List<String> protocols, boolean lazy) {
    this.protocols = List.copyOf(protocols);
    if (this.protocols.isEmpty()) {
      throw new IllegalArgumentException("no protocol to propose");
    }
    for (String protocol : this.protocols) {
      if (!MultistreamMessage.isValidProtocolId(protocol)) {
        throw new IllegalArgumentException("invalid protocol id: " + protocol);
      }
    }
    this.lazy = lazy && this.protocols.size() == 1;
  }

  /** Whether this negotiation runs lazily (lazy was asked for and there is one protocol). */
  public boolean isLazy() {
    return lazy;
  }

  @Override
  public NegotiationStep start() {
    if (state != State.NEW) {
      throw new IllegalStateException("already started");
    }
    state = State.AWAIT_HEADER;
    List<MultistreamMessage> opening =
        List.of(MultistreamMessage.HEADER, MultistreamMessage.protocol(protocols.get(0)));
    return lazy
        ? new NegotiationStep.Selected(protocols.get(0), opening)
        : new NegotiationStep.Continue(opening);
  }

  @Override
  public NegotiationStep onMessage(MultistreamMessage message) {
    switch (state) {
      case AWAIT_HEADER -> {
        if (!message.isHeader()) {
          return fail(MultistreamProtocolException.notHeader(message));
        }
        state = State.AWAIT_ANSWER;
        return new NegotiationStep.Continue(List.of());
      }
      case AWAIT_ANSWER -> {
        String proposed = protocols.get(current);
        if (message.text().equals(proposed)) {
          state = State.DONE;
          return lazy
              ? new NegotiationStep.Confirmed(proposed)
              : new NegotiationStep.Selected(proposed, List.of());
        }
        if (!message.isNa()) {
          return fail(
              MultistreamProtocolException.unexpected(
                  "expected echo of " + proposed + " or na, got " + message));
        }
        if (current + 1 == protocols.size()) {
          return fail(
              new NoProtocolAgreedException(
                  "listener refused every protocol", protocols.subList(0, current + 1)));
        }
        current++;
        return new NegotiationStep.Continue(
            List.of(MultistreamMessage.protocol(protocols.get(current))));
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

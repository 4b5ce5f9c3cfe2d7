package io.meshwork.networking.multistream;

import java.util.List;
import java.util.Objects;

/**
 * What a negotiation state machine ({@link DialerNegotiation}, {@link ListenerNegotiation}) wants
 * done after it started or consumed a message: messages to send, in order, and the outcome so far.
 */
public sealed interface NegotiationStep {
  /** Messages to send now, in order (immutable, possibly empty). */
  List<MultistreamMessage> toSend();

  /** Negotiation goes on: send these messages and feed the next one received. */
  record Continue(List<MultistreamMessage> toSend) implements NegotiationStep {
    public Continue {
      toSend = List.copyOf(toSend);
    }
  }

  /**
   * {@code protocol} is agreed: send these messages (the listener's echo, or a lazy dialer's header
   * and proposal), then hand the channel to the protocol. For a lazy dialer the negotiation is not
   * finished yet: the listener's header and echo still have to be read ({@link Confirmed}).
   */
  record Selected(String protocol, List<MultistreamMessage> toSend) implements NegotiationStep {
    public Selected {
      Objects.requireNonNull(protocol, "protocol");
      toSend = List.copyOf(toSend);
    }
  }

  /** A lazy dialer read the listener's echo of the protocol it had already selected. */
  record Confirmed(String protocol) implements NegotiationStep {
    public Confirmed {
      Objects.requireNonNull(protocol, "protocol");
    }

    @Override
    public List<MultistreamMessage> toSend() {
      return List.of();
    }
  }

  /** The negotiation failed; nothing more is to be sent and the channel should be closed. */
  record Failed(MultistreamException cause) implements NegotiationStep {
    public Failed {
      Objects.requireNonNull(cause, "cause");
    }

    @Override
    public List<MultistreamMessage> toSend() {
      return List.of();
    }
  }
}

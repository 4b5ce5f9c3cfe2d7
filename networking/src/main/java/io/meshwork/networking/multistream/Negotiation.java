package io.meshwork.networking.multistream;

/** The common shape of the dialer and listener state machines, for the Netty handler. */
sealed interface Negotiation permits DialerNegotiation, ListenerNegotiation {
  /** Called once, first: the messages to send as soon as the channel is usable. */
  NegotiationStep start();

  /** Feeds one received message. Not to be called after a terminal step. */
  NegotiationStep onMessage(MultistreamMessage message);

  /** Whether the last step finished the negotiation (confirmed selection or failure). */
  boolean isFinished();
}

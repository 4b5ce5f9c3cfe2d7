package io.meshwork.networking.multistream;

import static io.meshwork.networking.multistream.MultistreamMessage.HEADER;
import static io.meshwork.networking.multistream.MultistreamMessage.LS;
import static io.meshwork.networking.multistream.MultistreamMessage.NA;
import static io.meshwork.networking.multistream.MultistreamMessage.protocol;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ListenerNegotiationTest {

  private final ListenerNegotiation listener =
      new ListenerNegotiation(Set.of("/noise", "/multistream/1.0.0")::contains);

  @Test
  void sendsTheHeaderAtOnce() {
    assertThat(listener.start()).isEqualTo(new NegotiationStep.Continue(List.of(HEADER)));
  }

  @Test
  void echoesASupportedProposal() {
    listener.start();
    listener.onMessage(HEADER);

    assertThat(listener.onMessage(protocol("/noise")))
        .isEqualTo(new NegotiationStep.Selected("/noise", List.of(protocol("/noise"))));
    assertThat(listener.isFinished()).isTrue();
  }

  @Test
  void answersNaToAnUnsupportedProposalAndKeepsListening() {
    listener.start();
    listener.onMessage(HEADER);

    assertThat(listener.onMessage(protocol("/tls/1.0.0")))
        .isEqualTo(new NegotiationStep.Continue(List.of(NA)));
    assertThat(listener.onMessage(protocol("/noise"))).isInstanceOf(NegotiationStep.Selected.class);
  }

  @Test
  void answersLsWithNa() {
    listener.start();
    listener.onMessage(HEADER);

    assertThat(listener.onMessage(LS)).isEqualTo(new NegotiationStep.Continue(List.of(NA)));
  }

  @Test
  void neverSelectsTheMultistreamProtocolItself() {
    listener.start();
    listener.onMessage(HEADER);

    assertThat(listener.onMessage(HEADER)).isEqualTo(new NegotiationStep.Continue(List.of(NA)));
  }

  @Test
  void failsOnAFirstMessageOtherThanTheHeader() {
    listener.start();

    NegotiationStep step = listener.onMessage(protocol("/multistream/2.0.0"));

    assertThat(((NegotiationStep.Failed) step).cause())
        .isInstanceOfSatisfying(
            MultistreamProtocolException.class,
            e -> assertThat(e.reason()).isEqualTo(MultistreamException.Reason.UNEXPECTED_MESSAGE));
  }

  @Test
  void failsWhenTheDialerSaysNa() {
    listener.start();
    listener.onMessage(HEADER);

    assertThat(listener.onMessage(NA)).isInstanceOf(NegotiationStep.Failed.class);
  }

  @Test
  void failsAfterTooManyProposals() {
    listener.start();
    listener.onMessage(HEADER);
    for (int i = 0; i < ListenerNegotiation.MAX_PROPOSALS; i++) {
      assertThat(listener.onMessage(protocol("/p/" + i)))
          .isEqualTo(new NegotiationStep.Continue(List.of(NA)));
    }

    NegotiationStep step = listener.onMessage(protocol("/p/last"));

    assertThat(((NegotiationStep.Failed) step).cause())
        .isInstanceOfSatisfying(
            NoProtocolAgreedException.class,
            e -> assertThat(e.protocols()).hasSize(ListenerNegotiation.MAX_PROPOSALS + 1));
    assertThat(listener.isFinished()).isTrue();
  }
}

package io.meshwork.networking.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PeerRecord;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.multiformats.Multiaddr;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultPeerStoreTest {
  private final PrivateKey key = PrivateKey.generate(KeyType.ED25519);
  private final PeerId peer = PeerId.fromPublicKey(key.publicKey());
  private final DefaultPeerStore store = new DefaultPeerStore(10);

  private byte[] record(PrivateKey signer, long seq, int port) {
    return new PeerRecord(
            PeerId.fromPublicKey(signer.publicKey()),
            seq,
            List.of(Multiaddr.fromString("/ip4/10.0.0.1/tcp/" + port)))
        .seal(signer)
        .marshal();
  }

  @Test
  void keepsASignedPeerRecordOnlyWhenItsSeqIsNewer() {
    assertThat(store.signedPeerRecord(peer)).isEmpty();
    byte[] five = record(key, 5, 5);
    store.putSignedPeerRecord(peer, five);
    store.putSignedPeerRecord(peer, record(key, 4, 4));
    store.putSignedPeerRecord(peer, record(key, 5, 55));
    assertThat(store.signedPeerRecord(peer)).hasValueSatisfying(r -> assertThat(r).isEqualTo(five));

    byte[] six = record(key, 6, 6);
    store.putSignedPeerRecord(peer, six);
    assertThat(store.signedPeerRecord(peer)).hasValueSatisfying(r -> assertThat(r).isEqualTo(six));
  }

  @Test
  void rejectsARecordOfAnotherPeerOrOneThatDoesNotVerify() {
    PrivateKey other = PrivateKey.generate(KeyType.ED25519);
    assertThatThrownBy(() -> store.putSignedPeerRecord(peer, record(other, 1, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not " + peer);
    byte[] tampered = record(key, 1, 1);
    tampered[tampered.length - 1] ^= 1;
    assertThatThrownBy(() -> store.putSignedPeerRecord(peer, tampered))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.signedPeerRecord(peer)).isEmpty();
  }

  @Test
  void rejectsAnOversizedRecordAndForgetsRecordsOfEvictedPeers() {
    List<Multiaddr> many = new ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      many.add(Multiaddr.fromString("/ip4/10.0.0.1/tcp/" + (1000 + i)));
    }
    byte[] huge = new PeerRecord(peer, 1, many).seal(key).marshal();
    assertThatThrownBy(() -> store.putSignedPeerRecord(peer, huge))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds the limit");

    store.putSignedPeerRecord(peer, record(key, 1, 1));
    for (int i = 0; i < 10; i++) {
      store.setAgentVersion(
          PeerId.fromPublicKey(PrivateKey.generate(KeyType.ED25519).publicKey()), "x");
    }
    assertThat(store.signedPeerRecord(peer)).isEmpty();
    assertThat(store.peers()).hasSize(10);
  }
}

package io.meshwork.networking.crypto;

import static io.meshwork.networking.crypto.KeyVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.networking.multiformats.Multihash;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerIdTest {
  @Test
  void derivesPeerIdsOfTheSpecKeys() {
    PublicKey ed = PublicKey.unmarshal(hex(KeyVectors.ED25519_PUBLIC));
    assertThat(PeerId.fromPublicKey(ed).toBase58()).isEqualTo(KeyVectors.ED25519_PEER_ID);
    PublicKey secp = PublicKey.unmarshal(hex(KeyVectors.SECP256K1_PUBLIC));
    assertThat(PeerId.fromPublicKey(secp).toString()).isEqualTo(KeyVectors.SECP256K1_PEER_ID);
  }

  @Test
  void inlinesSmallKeysWithTheIdentityMultihash() {
    PeerId id = PeerId.parse(KeyVectors.ED25519_PEER_ID);
    assertThat(id.toBytes()[0]).isEqualTo((byte) Multihash.IDENTITY);
    assertThat(id.extractPublicKey()).contains(PublicKey.unmarshal(hex(KeyVectors.ED25519_PUBLIC)));
    assertThat(id.matches(PublicKey.unmarshal(hex(KeyVectors.ED25519_PUBLIC)))).isTrue();
    assertThat(id.matches(PublicKey.unmarshal(hex(KeyVectors.SECP256K1_PUBLIC)))).isFalse();
  }

  @Test
  void hashesKeysLongerThanFortyTwoBytes() {
    // The spec's ECDSA public key (91 bytes): its peer id is sha256, computed independently.
    byte[] ecdsa = hex(KeyVectors.ECDSA_PUBLIC);
    PeerId id = PeerId.fromBytes(Multihash.sha256Of(ecdsa).toBytes());
    assertThat(id.toBase58()).isEqualTo("QmVMT29id3TUASyfZZ6k9hmNyc2nYabCo4uMSpDw4zrgDk");
    assertThat(id.extractPublicKey()).isEmpty();
  }

  @Test
  void parsesTheSpecExamplesInBothTextForms() {
    PeerId legacy = PeerId.parse("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
    PeerId cid = PeerId.parse("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
    assertThat(cid).isEqualTo(legacy);
    assertThat(legacy.toCidString())
        .isEqualTo("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
    PeerId ed = PeerId.parse("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");
    assertThat(ed.extractPublicKey()).get().extracting(PublicKey::type).isEqualTo(KeyType.ED25519);
    assertThat(PeerId.parse(ed.toCidString())).isEqualTo(ed);
  }

  @Test
  void rejectsInvalidPeerIds() {
    assertThatThrownBy(() -> PeerId.parse("12D3KooW0")).isInstanceOf(PeerIdFormatException.class);
    assertThatThrownBy(() -> PeerId.parse("")).isInstanceOf(PeerIdFormatException.class);
    assertThatThrownBy(() -> PeerId.parse("1".repeat(10_000)))
        .isInstanceOf(PeerIdFormatException.class)
        .hasMessageContaining("longer");
    assertThatThrownBy(() -> PeerId.parse("xyz")).isInstanceOf(PeerIdFormatException.class);
    // A CID with the dag-pb codec is content, not a peer.
    assertThatThrownBy(
            () -> PeerId.parse("bafybeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe"))
        .isInstanceOf(PeerIdFormatException.class);
    byte[] tooLongIdentity = Multihash.identity(new byte[43]).toBytes();
    assertThatThrownBy(() -> PeerId.fromBytes(tooLongIdentity))
        .isInstanceOf(PeerIdFormatException.class);
    byte[] shortSha = Multihash.of(Multihash.SHA2_256, new byte[20]).toBytes();
    assertThatThrownBy(() -> PeerId.fromBytes(shortSha)).isInstanceOf(PeerIdFormatException.class);
  }

  @Test
  void generatedKeysHaveTheFamiliarPrefixes() {
    assertThat(PeerId.fromPublicKey(PrivateKey.generate(KeyType.ED25519).publicKey()).toBase58())
        .startsWith("12D3KooW");
    assertThat(PeerId.fromPublicKey(PrivateKey.generate(KeyType.SECP256K1).publicKey()).toBase58())
        .startsWith("16Uiu2HA");
  }

  @Test
  void ordersByUnsignedBytes() {
    List<PeerId> ids = new ArrayList<>();
    ids.add(PeerId.fromBytes(Multihash.of(Multihash.SHA2_256, filled((byte) 0x80)).toBytes()));
    ids.add(PeerId.fromBytes(Multihash.of(Multihash.SHA2_256, filled((byte) 0x01)).toBytes()));
    ids.sort(null);
    assertThat(ids.get(0).toBytes()[2]).isEqualTo((byte) 0x01);
  }

  private static byte[] filled(byte b) {
    byte[] out = new byte[32];
    java.util.Arrays.fill(out, b);
    return out;
  }
}

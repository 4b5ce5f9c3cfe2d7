package io.meshwork.networking.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidTest {
  @Test
  void decodesPeerIdCidFromPeerIdSpec() {
    // peer-ids spec, "String representation": the same sha256 peer id in both text forms.
    Cid cid = Cid.decode("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
    assertThat(cid.version()).isEqualTo(1);
    assertThat(cid.codec()).isEqualTo(Cid.LIBP2P_KEY);
    assertThat(cid.multihash().code()).isEqualTo(Multihash.SHA2_256);
    assertThat(Base58.encode(cid.multihash().toBytes()))
        .isEqualTo("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
    assertThat(cid.toString())
        .isEqualTo("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
  }

  @Test
  void decodesCidV0() {
    Cid cid = Cid.decode("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
    assertThat(cid.version()).isZero();
    assertThat(cid.codec()).isEqualTo(Cid.DAG_PB);
  }

  @Test
  void rejectsUnsupportedVersionAndTruncatedMultihash() {
    byte[] v2 = {0x02, 0x72, 0x00, 0x01, 0x01};
    assertThatThrownBy(() -> Cid.fromBytes(v2)).hasMessageContaining("version");
    byte[] truncated = {0x01, 0x72, 0x12, 0x20, 0x01};
    assertThatThrownBy(() -> Cid.fromBytes(truncated)).isInstanceOf(IllegalArgumentException.class);
  }
}

package io.meshwork.networking.crypto;

import java.util.HexFormat;

/** Test vectors from the libp2p peer-ids spec ("Test vectors"), hex-encoded protobufs. */
final class KeyVectors {
  static final String ED25519_PRIVATE =
      "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d"
          + "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
  static final String ED25519_PUBLIC =
      "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
  static final String SECP256K1_PRIVATE =
      "0802122053DADF1D5A164D6B4ACDB15E24AA4C5B1D3461BDBD42ABEDB0A4404D56CED8FB";
  static final String SECP256K1_PUBLIC =
      "08021221037777e994e452c21604f91de093ce415f5432f701dd8cd1a7a6fea0e630bfca99";
  static final String ECDSA_PUBLIC =
      "0803125b3059301306072a8648ce3d020106082a8648ce3d03010703420004de3d300fa36ae0e8f5d530899d83"
          + "abab44abf3161f162a4bc901d8e6ecda020e8b6d5f8da30525e71d6851510c098e5c47c646a597fb4dce"
          + "c034e9f77c409e62";

  // Peer ids of the keys above, computed independently of this code base (identity multihash
  // of the public key protobuf, base58btc).
  static final String ED25519_PEER_ID = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";
  static final String SECP256K1_PEER_ID = "16Uiu2HAmLhLvBoYaoZfaMUKuibM6ac163GwKY74c5kiSLg5KvLpY";

  private KeyVectors() {}

  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.toLowerCase(java.util.Locale.ROOT));
  }
}

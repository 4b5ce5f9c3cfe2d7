package io.meshwork.networking.crypto;

import io.meshwork.networking.crypto.pb.KeysProto;

/** The libp2p key types, with their protobuf enum codes (peer-ids spec, "Keys"). */
public enum KeyType {
  RSA(0),
  ED25519(1),
  SECP256K1(2),
  ECDSA(3);

  private final int code;

  KeyType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The key type with this protobuf code, if any. */
  public static java.util.Optional<KeyType> fromCode(int code) {
    for (KeyType type : values()) {
      if (type.code == code) {
        return java.util.Optional.of(type);
      }
    }
    return java.util.Optional.empty();
  }

  KeysProto.KeyType proto() {
    return KeysProto.KeyType.forNumber(code);
  }
}

package io.meshwork.networking.crypto;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.meshwork.networking.crypto.pb.KeysProto;

/**
 * The libp2p {@code PublicKey}/{@code PrivateKey} protobuf wrappers. Protobuf-java writes fields in
 * field-number order (Type, then Data), which is the deterministic encoding the peer-ids spec
 * needs: these bytes are what a peer id hashes.
 */
final class KeyCodec {
  /** Generous bound: the largest key we accept (a 96-byte legacy Ed25519 key) is far smaller. */
  static final int MAX_KEY_BYTES = 4096;

  private KeyCodec() {}

  static byte[] marshalPublic(KeyType type, byte[] data) {
    return KeysProto.PublicKey.newBuilder()
        .setType(type.proto())
        .setData(ByteString.copyFrom(data))
        .build()
        .toByteArray();
  }

  static byte[] marshalPrivate(KeyType type, byte[] data) {
    return KeysProto.PrivateKey.newBuilder()
        .setType(type.proto())
        .setData(ByteString.copyFrom(data))
        .build()
        .toByteArray();
  }

  static PublicKey unmarshalPublic(byte[] protobuf) {
    checkSize(protobuf);
    KeysProto.PublicKey message;
    try {
      message = KeysProto.PublicKey.parseFrom(protobuf);
    } catch (InvalidProtocolBufferException e) {
      throw new KeyFormatException("malformed PublicKey protobuf: " + e.getMessage(), e);
    }
    byte[] data = message.getData().toByteArray();
    return switch (message.getType()) {
      case Ed25519 -> Ed25519PublicKey.fromRaw(data);
      case Secp256k1 -> Secp256k1PublicKey.fromBytes(data);
      default -> throw new KeyFormatException("unsupported key type " + message.getType());
    };
  }

  static PrivateKey unmarshalPrivate(byte[] protobuf) {
    checkSize(protobuf);
    KeysProto.PrivateKey message;
    try {
      message = KeysProto.PrivateKey.parseFrom(protobuf);
    } catch (InvalidProtocolBufferException e) {
      throw new KeyFormatException("malformed PrivateKey protobuf: " + e.getMessage(), e);
    }
    byte[] data = message.getData().toByteArray();
    return switch (message.getType()) {
      case Ed25519 -> Ed25519PrivateKey.fromBytes(data);
      case Secp256k1 -> Secp256k1PrivateKey.fromRaw(data);
      default -> throw new KeyFormatException("unsupported key type " + message.getType());
    };
  }

  private static void checkSize(byte[] protobuf) {
    if (protobuf.length > MAX_KEY_BYTES) {
      throw new KeyFormatException("serialized key too large: " + protobuf.length + " bytes");
    }
  }
}

package io.meshwork.networking.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.meshwork.networking.crypto.pb.RecordProto;
import io.meshwork.networking.multiformats.Varint;
import java.io.ByteArrayOutputStream;

/**
 * A signed envelope (libp2p RFC 0002): a payload, its type, the signer's public key and a signature
 * over {@code uvarint(len domain) ‖ domain ‖ uvarint(len type) ‖ type ‖ uvarint(len payload) ‖
 * payload}. The domain string is never sent; the receiver supplies the one it expects, so a
 * signature made for one purpose is never valid for another ("Domain Separation").
 *
 * <p>An opened envelope keeps the exact bytes it was read from, so it can be passed on unchanged
 * (RFC 0003 asks peers to retain the original envelope). Immutable and thread-safe.
 */
public final class SignedEnvelope {
  private final String domain;
  private final PublicKey publicKey;
  private final byte[] payloadType;
  private final byte[] payload;
  private final byte[] signature;
  private final byte[] marshalled;

  private SignedEnvelope(
      String domain,
      PublicKey publicKey,
      byte[] payloadType,
      byte[] payload,
      byte[] signature,
      byte[] marshalled) {
    this.domain = domain;
    this.publicKey = publicKey;
    this.payloadType = payloadType;
    this.payload = payload;
    this.signature = signature;
    this.marshalled = marshalled;
  }

  /** Signs {@code payload} with {@code key} in {@code domain}. */
  public static SignedEnvelope seal(
      PrivateKey key, String domain, byte[] payloadType, byte[] payload) {
    byte[] type = payloadType.clone();
    byte[] body = payload.clone();
    byte[] signature = key.sign(signedBytes(domain, type, body));
    byte[] marshalled =
        RecordProto.Envelope.newBuilder()
            .setPublicKey(ByteString.copyFrom(key.publicKey().marshal()))
            .setPayloadType(ByteString.copyFrom(type))
            .setPayload(ByteString.copyFrom(body))
            .setSignature(ByteString.copyFrom(signature))
            .build()
            .toByteArray();
    return new SignedEnvelope(domain, key.publicKey(), type, body, signature, marshalled);
  }

  /**
   * Decodes an envelope and verifies its signature in {@code domain}.
   *
   * @throws EnvelopeException if it is malformed, its key is invalid or unsupported, or the
   *     signature does not verify for this domain
   */
  public static SignedEnvelope open(byte[] marshalled, String domain) {
    RecordProto.Envelope envelope;
    try {
      envelope = RecordProto.Envelope.parseFrom(marshalled);
    } catch (InvalidProtocolBufferException e) {
      throw new EnvelopeException("malformed envelope: " + e.getMessage(), e);
    }
    PublicKey key;
    try {
      key = PublicKey.unmarshal(envelope.getPublicKey().toByteArray());
    } catch (KeyFormatException e) {
      throw new EnvelopeException("envelope public key: " + e.getMessage(), e);
    }
    byte[] type = envelope.getPayloadType().toByteArray();
    byte[] payload = envelope.getPayload().toByteArray();
    byte[] signature = envelope.getSignature().toByteArray();
    if (!key.verify(signedBytes(domain, type, payload), signature)) {
      throw new EnvelopeException("envelope signature does not verify in domain '" + domain + "'");
    }
    return new SignedEnvelope(domain, key, type, payload, signature, marshalled.clone());
  }

  /** The bytes RFC 0002 signs ("Signature Production / Verification"). */
  static byte[] signedBytes(String domain, byte[] payloadType, byte[] payload) {
    byte[] domainBytes = domain.getBytes(UTF_8);
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(domainBytes.length + payloadType.length + payload.length + 15);
    for (byte[] field : new byte[][] {domainBytes, payloadType, payload}) {
      out.writeBytes(Varint.encode(field.length));
      out.writeBytes(field);
    }
    return out.toByteArray();
  }

  /** The domain this envelope was sealed or verified in. */
  public String domain() {
    return domain;
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  public byte[] payloadType() {
    return payloadType.clone();
  }

  public byte[] payload() {
    return payload.clone();
  }

  public byte[] signature() {
    return signature.clone();
  }

  /** The envelope protobuf: the exact bytes it was opened from, or those it was sealed into. */
  public byte[] marshal() {
    return marshalled.clone();
  }

  @Override
  public String toString() {
    return "SignedEnvelope[domain="
        + domain
        + ", signer="
        + PeerId.fromPublicKey(publicKey)
        + ", payload="
        + payload.length
        + " bytes]";
  }
}

package io.meshwork.chain.model;

import java.util.Arrays;

/**
 * A signed transfer of {@code amount} from the holder of {@code senderKey} to {@code to}, paying
 * {@code fee}, with the sender's account {@code nonce}. Immutable and thread-safe; the encoding, id
 * and sender address are computed once.
 *
 * <p>The signature covers {@code genesisHash || unsigned encoding}, so a transaction signed for one
 * network cannot be replayed on another.
 */
public final class Transaction {
  /** The largest encoding a transaction can have (three 9-byte varints). */
  public static final int MAX_ENCODED_SIZE = 32 + Address.SIZE + 3 * 9 + 64;

  public static final int SIGNATURE_SIZE = 64;
  public static final int PUBLIC_KEY_SIZE = 32;

  private final byte[] senderKey;
  private final Address to;
  private final long amount;
  private final long fee;
  private final long nonce;
  private final byte[] signature;
  private final byte[] encoding;
  private final Hash id;
  private final Address from;

  private Transaction(
      byte[] senderKey, Address to, long amount, long fee, long nonce, byte[] signature) {
    if (senderKey.length != PUBLIC_KEY_SIZE || signature.length != SIGNATURE_SIZE) {
      throw new IllegalArgumentException("bad key or signature length");
    }
    if (amount < 0 || fee < 0 || nonce < 0) {
      throw new IllegalArgumentException("amount, fee and nonce must not be negative");
    }
    this.senderKey = senderKey;
    this.to = to;
    this.amount = amount;
    this.fee = fee;
    this.nonce = nonce;
    this.signature = signature;
    this.encoding =
        unsignedWriter(senderKey, to, amount, fee, nonce).bytes(signature).toByteArray();
    this.id = Hash.sha256(encoding);
    this.from = Address.fromPublicKey(senderKey);
  }

  /** Signs a transfer for the network whose genesis block hash is {@code genesisHash}. */
  public static Transaction sign(
      SigningKey key, Hash genesisHash, Address to, long amount, long fee, long nonce) {
    byte[] senderKey = key.publicKey();
    byte[] message = signingMessage(genesisHash, senderKey, to, amount, fee, nonce);
    return new Transaction(senderKey, to, amount, fee, nonce, key.sign(message));
  }

  /** A transaction with the given (possibly wrong) signature; tests and decoders use this. */
  public static Transaction of(
      byte[] senderKey, Address to, long amount, long fee, long nonce, byte[] signature) {
    return new Transaction(senderKey.clone(), to, amount, fee, nonce, signature.clone());
  }

  private static CanonicalWriter unsignedWriter(
      byte[] senderKey, Address to, long amount, long fee, long nonce) {
    return new CanonicalWriter(MAX_ENCODED_SIZE)
        .bytes(senderKey)
        .address(to)
        .varint(amount)
        .varint(fee)
        .varint(nonce);
  }

  private static byte[] signingMessage(
      Hash genesisHash, byte[] senderKey, Address to, long amount, long fee, long nonce) {
    return new CanonicalWriter(32 + MAX_ENCODED_SIZE)
        .hash(genesisHash)
        .bytes(unsignedWriter(senderKey, to, amount, fee, nonce).toByteArray())
        .toByteArray();
  }

  /** Decodes one transaction and requires the input to end there. */
  public static Transaction decode(byte[] encoding) {
    CanonicalReader reader = new CanonicalReader(encoding);
    Transaction tx = read(reader);
    reader.expectEnd("transaction");
    return tx;
  }

  /** Reads one transaction from the reader's position. */
  public static Transaction read(CanonicalReader reader) {
    byte[] senderKey = reader.bytes(PUBLIC_KEY_SIZE, "transaction sender key");
    Address to = reader.address("transaction recipient");
    long amount = reader.varint("transaction amount");
    long fee = reader.varint("transaction fee");
    long nonce = reader.varint("transaction nonce");
    byte[] signature = reader.bytes(SIGNATURE_SIZE, "transaction signature");
    return new Transaction(senderKey, to, amount, fee, nonce, signature);
  }

  /** Checks the Ed25519 signature for the network of {@code genesisHash}. Costs ~90 µs. */
  public boolean hasValidSignature(Hash genesisHash) {
    byte[] message = signingMessage(genesisHash, senderKey, to, amount, fee, nonce);
    return SigningKey.verify(senderKey, message, signature);
  }

  public byte[] senderKey() {
    return senderKey.clone();
  }

  public Address from() {
    return from;
  }

  public Address to() {
    return to;
  }

  public long amount() {
    return amount;
  }

  public long fee() {
    return fee;
  }

  public long nonce() {
    return nonce;
  }

  public byte[] signature() {
    return signature.clone();
  }

  /** SHA-256 of the full encoding: the id used by compact blocks and bloom filters. */
  public Hash id() {
    return id;
  }

  public byte[] encode() {
    return encoding.clone();
  }

  public int encodedSize() {
    return encoding.length;
  }

  void writeTo(CanonicalWriter writer) {
    writer.bytes(encoding);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Transaction other && Arrays.equals(encoding, other.encoding);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "Transaction["
        + id
        + " "
        + from
        + "->"
        + to
        + " amount="
        + amount
        + " fee="
        + fee
        + " nonce="
        + nonce
        + "]";
  }
}

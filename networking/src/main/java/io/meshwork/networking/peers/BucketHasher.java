package io.meshwork.networking.peers;

import io.meshwork.networking.crypto.PeerId;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Where an entry goes in the {@link AddressBook}'s tables, keyed by the book's secret so an
 * attacker cannot compute which addresses collide (addrman's {@code nKey}). Each hash is the first
 * 8 bytes of HMAC-SHA256(secret, tag || length-prefixed parts). Not thread-safe (one MAC, reused).
 */
final class BucketHasher {
  private static final byte NEW_GROUP = 'g';
  private static final byte NEW_BUCKET = 'n';
  private static final byte TRIED_PEER = 'p';
  private static final byte TRIED_BUCKET = 't';
  private static final byte NEW_POSITION = 'N';
  private static final byte TRIED_POSITION = 'T';

  private final AddressBookConfig config;
  private final HMac mac = new HMac(new SHA256Digest());
  private final byte[] out = new byte[32];

  BucketHasher(byte[] secret, AddressBookConfig config) {
    if (secret.length != 32) {
      throw new IllegalArgumentException("secret must be 32 bytes: " + secret.length);
    }
    this.config = config;
    mac.init(new KeyParameter(secret.clone()));
  }

  /**
   * Addrman's {@code GetNewBucket}: a source group reaches only {@code newBucketsPerSourceGroup}
   * buckets, whichever groups its addresses claim to be in.
   */
  int newBucket(AddressGroup group, AddressGroup sourceGroup) {
    long slice =
        Long.remainderUnsigned(
            hash(NEW_GROUP, group(group), group(sourceGroup)), config.newBucketsPerSourceGroup());
    return (int)
        Long.remainderUnsigned(
            hash(NEW_BUCKET, group(sourceGroup), longBytes(slice)), config.newBuckets());
  }

  /** Addrman's {@code GetTriedBucket}: one address group reaches {@code triedBucketsPerGroup}. */
  int triedBucket(PeerId peer, AddressGroup group) {
    long slice =
        Long.remainderUnsigned(hash(TRIED_PEER, peer.toBytes()), config.triedBucketsPerGroup());
    return (int)
        Long.remainderUnsigned(
            hash(TRIED_BUCKET, group(group), longBytes(slice)), config.triedBuckets());
  }

  int newPosition(int bucket, PeerId peer) {
    return position(NEW_POSITION, bucket, peer);
  }

  int triedPosition(int bucket, PeerId peer) {
    return position(TRIED_POSITION, bucket, peer);
  }

  private int position(byte tag, int bucket, PeerId peer) {
    return (int)
        Long.remainderUnsigned(hash(tag, longBytes(bucket), peer.toBytes()), config.bucketSize());
  }

  private long hash(byte tag, byte[]... parts) {
    mac.update(tag);
    for (byte[] part : parts) {
      byte[] length = longBytes(part.length);
      mac.update(length, 4, 4);
      mac.update(part, 0, part.length);
    }
    mac.doFinal(out, 0);
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (out[i] & 0xff);
    }
    return value;
  }

  private static byte[] group(AddressGroup group) {
    byte[] bytes = group.bytes();
    byte[] tagged = new byte[bytes.length + 1];
    tagged[0] = (byte) group.kind().ordinal();
    System.arraycopy(bytes, 0, tagged, 1, bytes.length);
    return tagged;
  }

  private static byte[] longBytes(long value) {
    byte[] bytes = new byte[8];
    for (int i = 7; i >= 0; i--) {
      bytes[i] = (byte) value;
      value >>>= 8;
    }
    return bytes;
  }
}

package io.meshwork.networking.crypto;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;

/** The secp256k1 domain parameters (SEC 2) and the message digest libp2p signs with. */
final class Secp256k1Curve {
  static final ECDomainParameters DOMAIN;
  static final BigInteger N;

  /** S values above n/2 are "high"; BIP 62 allows only low S, so signatures are not malleable. */
  static final BigInteger HALF_N;

  static {
    X9ECParameters params = CustomNamedCurves.getByName("secp256k1");
    DOMAIN = new ECDomainParameters(params.getCurve(), params.getG(), params.getN(), params.getH());
    N = params.getN();
    HALF_N = N.shiftRight(1);
  }

  private Secp256k1Curve() {}

  /** libp2p secp256k1 signs SHA-256(message) (peer-ids spec, "Secp256k1"). */
  static byte[] digest(byte[] message) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(message);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }
}

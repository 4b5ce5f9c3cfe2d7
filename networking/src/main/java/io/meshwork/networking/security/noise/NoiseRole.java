package io.meshwork.networking.security.noise;

/** Which side of the Noise handshake we are: the dialer initiates, the listener responds. */
public enum NoiseRole {
  INITIATOR,
  RESPONDER
}

/**
 * The libp2p Noise secure channel ({@code /noise}): {@code Noise_XX_25519_ChaChaPoly_SHA256} with
 * the libp2p signed handshake payload and early stream-muxer negotiation.
 *
 * <p>Specs: the Noise Protocol Framework, revision 34 (noiseprotocol.org: CipherState §5.1,
 * SymmetricState §5.2, HandshakeState §5.3, pattern XX §7.5, 25519/ChaChaPoly/SHA256 §12) and
 * libp2p {@code noise/README.md} (payload, static key signature, u16 framing, early muxer
 * negotiation through {@code NoiseExtensions.stream_muxers}).
 *
 * <p>Layers: {@link io.meshwork.networking.security.noise.CipherState}, {@link
 * io.meshwork.networking.security.noise.SymmetricState} and {@link
 * io.meshwork.networking.security.noise.HandshakeState} are the sans-IO Noise core; {@link
 * io.meshwork.networking.security.noise.NoiseHandshake} adds the libp2p payload rules; {@link
 * io.meshwork.networking.security.noise.NoiseHandshakeHandler} and {@link
 * io.meshwork.networking.security.noise.NoiseTransportCodec} are the thin Netty handlers.
 */
package io.meshwork.networking.security.noise;

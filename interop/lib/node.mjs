// Builds the js-libp2p reference peer used by peer.mjs and perf-bench.mjs.
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPair, privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
import { handlePerf, PERF_PROTOCOL } from './perf.mjs'

/**
 * @libp2p/noise always offers its muxers in the handshake's stream_muxers extension and, when the
 * remote offers any, adopts one instead of running multistream-select for the muxer. It only skips
 * this when the upgrader passes skipStreamMuxerNegotiation, which the TCP transport never does; this
 * wrapper passes it, so the peer then offers an empty list and negotiates the muxer with
 * multistream-select.
 */
function noiseWithoutEarlyMuxerNegotiation () {
  const factory = noise()
  return (components) => {
    const inner = factory(components)
    return {
      protocol: inner.protocol,
      [Symbol.toStringTag]: inner[Symbol.toStringTag],
      secureInbound: (conn, options) => inner.secureInbound(conn, { ...options, skipStreamMuxerNegotiation: true }),
      secureOutbound: (conn, options) => inner.secureOutbound(conn, { ...options, skipStreamMuxerNegotiation: true })
    }
  }
}

/**
 * @param {object} options
 * @param {string[]} options.listen multiaddrs to listen on (may be empty)
 * @param {'ed25519'|'secp256k1'} options.keyType identity key type, when no privateKey is given
 * @param {Uint8Array} [options.privateKey] protobuf-encoded libp2p private key
 * @param {boolean} options.earlyMuxerNegotiation offer/accept muxers inside the Noise handshake
 */
export async function createPeer ({ listen = [], keyType = 'ed25519', privateKey, earlyMuxerNegotiation = true }) {
  const key = privateKey != null
    ? privateKeyFromProtobuf(privateKey)
    : await generateKeyPair(keyType === 'secp256k1' ? 'secp256k1' : 'Ed25519')
  const node = await createLibp2p({
    privateKey: key,
    addresses: { listen },
    transports: [tcp()],
    connectionEncrypters: [earlyMuxerNegotiation ? noise() : noiseWithoutEarlyMuxerNegotiation()],
    streamMuxers: [yamux()],
    services: { identify: identify(), ping: ping() }
  })
  await node.handle(PERF_PROTOCOL, handlePerf, { maxInboundStreams: 16, maxOutboundStreams: 16 })
  return node
}

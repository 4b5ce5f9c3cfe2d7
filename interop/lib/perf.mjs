// The libp2p perf protocol, written from the spec (libp2p/specs perf/perf.md):
// the client sends a u64 big-endian N (the bytes it wants back), uploads its bytes and closes
// its write side; the server reads to EOF, then sends N bytes and closes.
import { performance } from 'node:perf_hooks'

export const PERF_PROTOCOL = '/perf/1.0.0'

const CHUNK = 64 * 1024
// Never mutated: the stream only reads it, so one buffer serves every send.
const ZEROS = new Uint8Array(CHUNK)

/** Sends n zero bytes, waiting for 'drain' whenever the stream's send buffer is full. */
async function sendZeros (stream, n, signal) {
  let left = n
  while (left > 0) {
    const len = Math.min(left, CHUNK)
    left -= len
    if (!stream.send(len === CHUNK ? ZEROS : ZEROS.subarray(0, len))) {
      await stream.onDrain({ signal })
    }
  }
}

/** Inbound /perf/1.0.0 handler. */
export async function handlePerf (stream) {
  const header = new Uint8Array(8)
  let headerLength = 0
  let uploaded = 0
  try {
    for await (const chunk of stream) {
      const bytes = chunk.subarray()
      let offset = 0
      if (headerLength < 8) {
        offset = Math.min(8 - headerLength, bytes.byteLength)
        header.set(bytes.subarray(0, offset), headerLength)
        headerLength += offset
      }
      uploaded += bytes.byteLength - offset
    }
    if (headerLength < 8) {
      throw new Error(`perf: stream ended after ${headerLength} of the 8 header bytes`)
    }
    // Any u64 is valid; max u64 means "until the client hangs up" (the spec's timer variant), which
    // Number() rounding cannot change.
    const download = Number(new DataView(header.buffer).getBigUint64(0, false))
    stream.log('perf: received %d bytes, sending %d', uploaded, download)
    await sendZeros(stream, download)
    await stream.close()
  } catch (err) {
    stream.abort(err)
    throw err
  }
}

/**
 * Runs one perf exchange against target (a Multiaddr or PeerId).
 * Returns { uploadBytes, downloadBytes, seconds, uploadSeconds, downloadSeconds }: uploadSeconds runs
 * from opening the stream to the first byte back (the server answers only after reading our EOF),
 * downloadSeconds from there to the end.
 */
export async function runPerf (node, target, upload, download, { signal } = {}) {
  const start = performance.now()
  const stream = await node.dialProtocol(target, PERF_PROTOCOL, { signal })
  try {
    // Read while we upload, so a peer that answers early cannot deadlock us on full buffers.
    const reading = (async () => {
      let received = 0
      let first = null
      for await (const chunk of stream) {
        if (first == null) first = performance.now()
        received += chunk.byteLength
      }
      return { received, first }
    })()
    const header = new Uint8Array(8)
    new DataView(header.buffer).setBigUint64(0, BigInt(download), false)
    if (!stream.send(header)) await stream.onDrain({ signal })
    await sendZeros(stream, upload, signal)
    await stream.close({ signal })
    const { received, first } = await reading
    const end = performance.now()
    if (received !== download) {
      throw new Error(`perf: asked for ${download} bytes, received ${received}`)
    }
    const firstByte = first ?? end
    return {
      uploadBytes: upload,
      downloadBytes: received,
      seconds: (end - start) / 1000,
      uploadSeconds: (firstByte - start) / 1000,
      downloadSeconds: (end - firstByte) / 1000
    }
  } catch (err) {
    stream.abort(err)
    throw err
  }
}

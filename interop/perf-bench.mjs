// js-to-js perf reference for Meshwork's benchmarks: a server peer (peer.mjs, its own process) on
// loopback and a client peer in this process run /perf/1.0.0, then print one JSON line
// {"uploadBytes","downloadBytes","seconds","uploadSeconds","downloadSeconds","uploadMBps","downloadMBps"}
// (MB = 10^6 bytes). Logs go to stderr.
//
//   node perf-bench.mjs [--upload BYTES] [--download BYTES] [--runs N] [--early-muxer on|off]
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { multiaddr } from '@multiformats/multiaddr'
import { createPeer } from './lib/node.mjs'
import { runPerf } from './lib/perf.mjs'

const MiB = 1024 * 1024
const { values: opts } = parseArgs({
  options: {
    upload: { type: 'string', default: String(256 * MiB) },
    download: { type: 'string', default: String(256 * MiB) },
    runs: { type: 'string', default: '1' },
    'early-muxer': { type: 'string', default: 'on' }
  }
})
const upload = Number(opts.upload)
const download = Number(opts.download)

const server = spawn(process.execPath, [
  fileURLToPath(new URL('./peer.mjs', import.meta.url)),
  '--listen', '/ip4/127.0.0.1/tcp/0', '--early-muxer', opts['early-muxer']
], { stdio: ['pipe', 'pipe', 'inherit'] })
const ready = await new Promise((resolve, reject) => {
  server.once('exit', (code) => reject(new Error(`server peer exited with ${code} before it was ready`)))
  createInterface({ input: server.stdout }).on('line', (line) => {
    const msg = JSON.parse(line)
    if (msg.event === 'ready') resolve(msg)
  })
})

const client = await createPeer({ earlyMuxerNegotiation: opts['early-muxer'] === 'on' })
try {
  const target = multiaddr(ready.addrs[0])
  await client.dial(target)
  for (let run = 0; run < Number(opts.runs); run++) {
    const r = await runPerf(client, target, upload, download)
    process.stdout.write(JSON.stringify({
      ...r,
      uploadMBps: r.uploadSeconds > 0 ? upload / 1e6 / r.uploadSeconds : null,
      downloadMBps: r.downloadSeconds > 0 ? download / 1e6 / r.downloadSeconds : null
    }) + '\n')
  }
} finally {
  await client.stop()
  server.stdin.end()
}

// The load client of the redemption benchmark: N connections, each signed in as one of the
// workers, redeem one reward (a fresh idempotency key per request) until it is sold out.
// Plain keep-alive http requests: fetch costs several times the CPU per request, and on a small
// machine the client's CPU is taken from the server it measures.
// Usage: node redeem-client.mjs '{"url","sessions":[headers…],"connections"}'
import http from 'node:http';

const plan = JSON.parse(process.argv[2]);
const agent = new http.Agent({ keepAlive: true, maxSockets: plan.connections });
let succeeded = 0;
let soldOut = 0;
let failures = 0;
let lastSuccessAt = 0;
let n = 0;
const latencies = [];
const started = performance.now();

function post(url, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function loop(i) {
  const headers = plan.sessions[i % plan.sessions.length];
  for (;;) {
    n += 1;
    const t0 = performance.now();
    const res = await post(plan.url, { ...headers, 'idempotency-key': `${plan.run}-${i}-${n}` });
    latencies.push(performance.now() - t0);
    if (res.status === 201) {
      succeeded += 1;
      lastSuccessAt = performance.now();
    } else if (res.status === 409 && res.text.includes('out_of_stock')) {
      soldOut += 1;
      return;
    } else {
      failures += 1;
      if (failures === 1) console.error(res.status, res.text.slice(0, 200));
      if (failures > 1000) return;
    }
  }
}

await Promise.all(Array.from({ length: plan.connections }, (_, i) => loop(i)));
agent.destroy();
latencies.sort((a, b) => a - b);
const seconds = (lastSuccessAt - started) / 1000;
console.log(
  JSON.stringify({ succeeded, soldOut, failures, seconds, perSecond: seconds > 0 ? succeeded / seconds : 0, p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0 }),
);

// The load client of the redemption benchmark: N connections, each signed in as one of the
// workers, redeem one reward (a fresh idempotency key per request) until it is sold out.
// Usage: node redeem-client.mjs '{"url","sessions":[headers…],"connections"}'
const plan = JSON.parse(process.argv[2]);
let succeeded = 0;
let soldOut = 0;
let failures = 0;
let lastSuccessAt = 0;
let n = 0;
const latencies = [];
const started = performance.now();

async function loop(i) {
  const headers = plan.sessions[i % plan.sessions.length];
  for (;;) {
    n += 1;
    const t0 = performance.now();
    const res = await fetch(plan.url, { method: 'POST', headers: { ...headers, 'idempotency-key': `${plan.run}-${i}-${n}` } });
    const text = await res.text();
    latencies.push(performance.now() - t0);
    if (res.status === 201) {
      succeeded += 1;
      lastSuccessAt = performance.now();
    } else if (res.status === 409 && text.includes('out_of_stock')) {
      soldOut += 1;
      return;
    } else {
      failures += 1;
      if (failures === 1) console.error(res.status, text.slice(0, 200));
      if (failures > 1000) return;
    }
  }
}

await Promise.all(Array.from({ length: plan.connections }, (_, i) => loop(i)));
latencies.sort((a, b) => a - b);
const seconds = (lastSuccessAt - started) / 1000;
console.log(
  JSON.stringify({ succeeded, soldOut, failures, seconds, perSecond: seconds > 0 ? succeeded / seconds : 0, p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0 }),
);

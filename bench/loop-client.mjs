// A load client for request chains autocannon cannot express: each of N connections loops
// "register a matter, then assign it" (the second request uses the first one's answer) for a
// number of seconds. Runs in its own process so it does not take the server's CPU time.
// Usage: node loop-client.mjs '{"registerUrl","assignUrl","headers","connections","seconds","registerBody","assignInput"}'
const plan = JSON.parse(process.argv[2]);
const deadline = Date.now() + plan.seconds * 1000;
let chains = 0;
let failures = 0;
const latencies = [];

async function post(url, body) {
  const res = await fetch(url, { method: 'POST', headers: { ...plan.headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${res.status} ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

async function loop() {
  while (Date.now() < deadline) {
    const started = performance.now();
    try {
      const created = await post(plan.registerUrl, plan.registerBody);
      await post(plan.assignUrl.replace(':id', created.id), { version: created.version, input: plan.assignInput });
      chains += 1;
      latencies.push(performance.now() - started);
    } catch (error) {
      failures += 1;
      if (failures === 1) console.error(String(error));
    }
  }
}

await Promise.all(Array.from({ length: plan.connections }, loop));
latencies.sort((a, b) => a - b);
const p99 = latencies[Math.floor(latencies.length * 0.99)] ?? 0;
console.log(JSON.stringify({ chainsPerSecond: chains / plan.seconds, failures, p99 }));

// tests/wasi/p2: a JavaScript command (wasi:cli/run) built by componentize-js with its default features.
// It exercises what a JS program does through WASI 0.2: console output (stdout and stderr), arguments,
// environment, writing and reading files in the preopened /data, wall and monotonic clocks (a timer),
// random numbers, and a fetch to the loopback HTTP server whose port is in $PORT. Every line it prints
// is deterministic, so its output on airwasm must equal its output under jco transpile on node.
import { getArguments, getEnvironment } from 'wasi:cli/environment@0.2.12';
import { getDirectories } from 'wasi:filesystem/preopens@0.2.12';

async function main() {
  console.log('args', JSON.stringify(getArguments().slice(1)));
  const env = Object.fromEntries(getEnvironment());
  console.log('env GREETING', env.GREETING);
  const dirs = getDirectories();
  console.log('preopens', JSON.stringify(dirs.map(([, name]) => name)));
  const [dir] = dirs.find(([, name]) => name === '/data');
  const file = dir.openAt({}, 'out.txt', { create: true, truncate: true }, { write: true, read: true });
  const text = 'written by javascript\n';
  file.write(new TextEncoder().encode(text), 0n);
  const [bytes, eof] = file.read(1000n, 0n);
  console.log('file read back', JSON.stringify(new TextDecoder().decode(bytes)));
  const input = dir.openAt({}, 'in.txt', {}, { read: true });
  console.log('file in.txt', JSON.stringify(new TextDecoder().decode(input.read(1000n, 0n)[0])));
  const now = Date.now();
  console.log('wall clock after 2020', now > Date.UTC(2020, 0, 1));
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, 20));
  console.log('monotonic advanced', performance.now() - t0 >= 15);
  const rnd = new Uint8Array(32);
  crypto.getRandomValues(rnd);
  console.log('random bytes', rnd.length, rnd.some((b) => b !== 0));
  console.log('Math.random in [0,1)', Math.random() >= 0 && Math.random() < 1);
  const url = `http://127.0.0.1:${env.PORT}/hello?x=1`;
  const res = await fetch(url, { method: 'POST', headers: { 'x-airwasm': 'yes' }, body: 'ping' });
  console.log('fetch status', res.status, res.headers.get('x-echo-method'));
  console.log('fetch body', JSON.stringify(await res.text()));
  console.error('done on stderr');
}

export const run = {
  // An async export: componentize-js runs the event loop until the promise settles.
  async run() {
    try {
      await main();
    } catch (e) {
      console.error('error', String(e));
    }
  },
};
